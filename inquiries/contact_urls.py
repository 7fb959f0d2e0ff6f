# The public hosted contact pages (mounted at /contact/ in erp/urls.py).
from django.urls import path

from . import contact

app_name = "contact"
urlpatterns = [
    path("<slug:site_key>/", contact.contact_page, name="page"),
    path("<slug:site_key>/thanks/", contact.thanks_page, name="thanks"),
    path("<slug:site_key>/snippet/", contact.snippet_page, name="snippet"),
]
