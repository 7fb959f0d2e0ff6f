from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from erp.portal import views as portal_views

admin.site.site_header = _("Haru ERP administration")
admin.site.site_title = _("Haru ERP admin")
admin.site.index_title = _("Haru ERP")

urlpatterns = [
    path("", include(("erp.portal.urls", "portal"))),
    path("healthz", portal_views.healthz, name="healthz"),
    path("accounts/login/", portal_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", portal_views.set_language, name="set_language"),
    # The on-call roster moved from integrations to tickets: old bookmarks still land on it.
    re_path(
        r"^admin/integrations/oncallrotation/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/tickets/oncallrotation/%(rest)s", permanent=True, query_string=True),
    ),
    # /metrics and /admin/system-status/ (before admin/, whose catch-all would take it).
    path("", include("integrations.ops.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split view: the Swagger UI init script comes from a URL, not inline (the CSP forbids that).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("api/tickets/", include("tickets.api_urls")),
    path("api/attendance/", include("attendance.api_urls")),
    path("api/leave/", include("leave.api_urls")),
    path("api/inquiries/", include("inquiries.api_urls")),
    path("contact/", include("inquiries.contact_urls")),
    path("tickets/", include("tickets.urls")),
    path("attendance/", include("attendance.urls")),
    path("leave/", include("leave.urls")),
    path("meetings/", include("meetings.urls")),
    path("inquiries/", include("inquiries.urls")),
    path("coupons/", include("coupons.urls")),
    path("search/", include("erp.history.urls")),
    path("reports/", include("erp.history.report_urls")),
    path("alerts/", include("alerts.urls")),
    path("api/alerts/", include("alerts.api_urls")),
    path("slack/", include("integrations.slack.inbound.urls")),
    path("", include("integrations.urls")),
]
