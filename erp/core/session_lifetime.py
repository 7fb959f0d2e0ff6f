"""Session lifetime from the admin's SecuritySettings (issue 15; review L10: two weeks fixed).

``SessionLifetimeMiddleware`` (after AuthenticationMiddleware) ends a signed-in session that
was idle longer than ``session_idle_minutes`` or began more than ``session_max_hours`` ago:
the user is logged out, told why (a message on the login page), and the request goes on as
anonymous (pages redirect to the login, the API answers 403). The login time is stamped by
the ``user_logged_in`` signal; the last-seen time is written at most once a minute, so an
active session does not cost a session write per request.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SecuritySettings

LOGIN_AT = "_haru_login_at"
SEEN_AT = "_haru_seen_at"
# How stale the stored last-seen time may get before it is rewritten (seconds).
SEEN_GRANULARITY = 60
# A stored session outlives its idle limit by this much (unusable: the middleware ends it),
# so a returning user is told why they were logged out instead of silently landing on the
# login page; clearsessions prunes it afterwards.
EXPIRED_SESSION_GRACE = 12 * 3600


def cached_settings() -> SecuritySettings:
    """SecuritySettings.current(): one query per process until the row changes."""
    return SecuritySettings.current()


def forget_cached_settings(**kwargs) -> None:
    SecuritySettings.forget_current()


def _connect_cache_invalidation():
    post_save.connect(forget_cached_settings, sender=SecuritySettings, dispatch_uid="security_settings_saved")
    post_delete.connect(forget_cached_settings, sender=SecuritySettings, dispatch_uid="security_settings_deleted")


@receiver(user_logged_in, dispatch_uid="session_lifetime_login")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
        request.session.set_expiry(expiry_seconds(cached_settings()))


def expired_reason(session, now: float, rules) -> str | None:
    """Why ``session`` is over at ``now`` under ``rules`` (SecuritySettings), else None."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if rules.session_max_hours and isinstance(login_at, (int, float)):
        if now - login_at > timedelta(hours=rules.session_max_hours).total_seconds():
            return _("Your session reached its maximum length. Please log in again.")
    if rules.session_idle_minutes and isinstance(seen_at, (int, float)):
        if now - seen_at > timedelta(minutes=rules.session_idle_minutes).total_seconds():
            return _("You were logged out after a period of inactivity. Please log in again.")
    return None


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self._apply(request)
        return self.get_response(request)

    def _apply(self, request):
        session, now = request.session, timezone.now().timestamp()
        reason = expired_reason(session, now, cached_settings())
        if reason:
            logout(request)
            messages.warning(request, reason)
            return
        # Sessions from before this middleware (or force_login in tests) start counting now.
        if not isinstance(session.get(LOGIN_AT), (int, float)):
            session[LOGIN_AT] = now
        seen_at = session.get(SEEN_AT)
        if not isinstance(seen_at, (int, float)) or now - seen_at >= SEEN_GRANULARITY:
            session[SEEN_AT] = now
            # The stored session and its cookie expire with the idle limit too, so abandoned
            # sessions are pruned by clearsessions; no limit: SESSION_COOKIE_AGE as before.
            session.set_expiry(expiry_seconds(cached_settings()))


def expiry_seconds(rules) -> int | None:
    if rules.session_idle_minutes:
        return rules.session_idle_minutes * 60 + EXPIRED_SESSION_GRACE
    if rules.session_max_hours:
        return rules.session_max_hours * 3600 + EXPIRED_SESSION_GRACE
    return None
