from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from erp.core.health import check_broker, check_database, check_disk
from erp.people.selectors import employee_of
from erp.people.services import employee_set_language
from erp.workcalendar.calendar import get_calendar

from .registry import home_panels

UPCOMING_DAYS = 60


def upcoming_days_off(today, days=UPCOMING_DAYS):
    calendar = get_calendar()
    upcoming = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        name = calendar.holiday_name(day)
        if name:
            upcoming.append((day, name))
    return upcoming


@login_required
def home(request):
    panels = []
    for panel in home_panels():
        context = panel.get_context(request)
        if context is not None:
            panels.append((panel.template_name, context))
    today = timezone.localdate()
    return render(
        request,
        "portal/home.html",
        {
            "employee": employee_of(request.user),
            "panels": panels,
            "today": today,
            "is_working_day": get_calendar().is_working_day(today),
            "upcoming_days_off": upcoming_days_off(today),
        },
    )


@never_cache
@require_GET
def healthz(request):
    """Database, broker and free disk space as JSON; 503 when one is not ok. Never hangs.

    Anonymous callers (load balancers, anyone on the network) learn only ok / degraded;
    the details (vendor, broker URL, error text) are for signed-in staff (review L5).
    """
    database, broker, disk = check_database(), check_broker(), check_disk()
    healthy = database["ok"] and broker["ok"] and disk["ok"]
    body = {"status": "ok" if healthy else "degraded"}
    if request.user.is_authenticated and request.user.is_staff:
        body.update(database=database, broker=broker, disk=disk)
    return JsonResponse(body, status=200 if healthy else 503)


class LoginView(auth_views.LoginView):
    """Django's login, then the person's saved language (the one Slack uses too) for the portal.

    The language switch before login only set a cookie for this browser; the profile wins,
    so a colleague who chose English on another machine gets English here as well.
    """

    def form_valid(self, form):
        response = super().form_valid(form)
        employee = employee_of(form.get_user())
        language = getattr(employee, "language", "")
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@require_POST
def set_language(request):
    """Django's language switch, also remembered on the employee so Slack answers alike."""
    response = django_set_language(request)
    employee = employee_of(request.user)
    language = request.POST.get("language")
    if employee is not None and language in dict(settings.LANGUAGES):
        employee_set_language(employee=employee, language=language, by=request.user)
    return response
