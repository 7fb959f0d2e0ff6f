"""Login throttling with django-axes (security review L4, issue 15).

After ``AXES_FAILURE_LIMIT`` wrong passwords for one user name from one address, that pair is
locked out for ``AXES_COOLOFF_TIME``: the login form (portal and admin) answers 429 with a
Korean page saying so; other users and the same user elsewhere are not affected. An admin
unlocks at once by deleting the row in Admin → Axes → Access attempts (or ``manage.py
axes_reset_username <name>``). Attempts are stored in the database (SQLite and PostgreSQL).
"""

import ipaddress
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' lockout check, for logins that come with a request.

    ``authenticate()`` without a request (Django's test client ``login()``, scripts) cannot be
    a password-guessing attack over HTTP and has no address to count against: axes would raise
    instead, so it is skipped here and the next backend decides.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or behind a proxy the last entry of the header named
    by ``LOGIN_CLIENT_IP_HEADER`` (e.g. X-Forwarded-For; the entry the proxy itself added)."""
    value = request.META.get("REMOTE_ADDR", "")
    header = getattr(settings, "LOGIN_CLIENT_IP_HEADER", "")
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        value = forwarded.split(",")[-1].strip() or value
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (429), in the visitor's language, with the wait in minutes."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cool_off / timedelta(minutes=1))) if isinstance(cool_off, timedelta) else None
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/lockout.html", context, status=429)
