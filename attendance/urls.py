from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("", views.my_month, name="month"),
    path("people/<int:pk>/", views.employee_month, name="employee-month"),
    path("check-in/", views.check_in, name="check-in"),
    path("check-out/", views.check_out, name="check-out"),
    path("break/", views.break_punch, name="break"),
    path("team/", views.team, name="team"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/new/", views.correction_new, name="correction-new"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction-detail"),
    path("corrections/<int:pk>/decide/", views.correction_decision, name="correction-decide"),
    path("corrections/<int:pk>/withdraw/", views.correction_withdraw, name="correction-withdraw"),
    path("export/", views.export, name="export"),
]
