"""The access token every Google call sends: a service account, or a token given as is.

A Workspace company lets Haru read and write its room calendars through a **service
account with domain-wide delegation** (the usual way for rooms: resource calendars belong
to the domain, not to a person). ``GOOGLE_SERVICE_ACCOUNT_FILE`` names its JSON key;
``GOOGLE_DELEGATED_USER`` the Workspace user it acts as (an admin, for the room directory).
google-auth signs the JWT assertion, exchanges it at the key's ``token_uri`` (OAuth 2.0 JWT
bearer grant, RFC 7523) and tells when the token expires; a token is refreshed shortly
before that, so a long sync never runs on an expired one.

Without a key, ``GOOGLE_CALENDAR_ACCESS_TOKEN`` is sent as is (a token obtained elsewhere,
e.g. for a trial). A key that cannot be read, or a token endpoint that refuses, is a
CalendarHTTPError like any failed call: the source records it and backs off.
"""

import threading

from django.conf import settings

from .http import Answer, CalendarHTTPError, call

# Calendar events (sync and write-back) and, for the room import, the resource directory.
SCOPES = (
    "https://www.googleapis.com/auth/calendar",
    "https://www.googleapis.com/auth/admin.directory.resource.calendar.readonly",
)

_lock = threading.Lock()
_cached: dict = {}  # (key file, subject) -> google.oauth2.service_account.Credentials


def _service_account(path: str, subject: str):
    from google.oauth2 import service_account

    key = (path, subject)
    if key not in _cached:
        try:
            credentials = service_account.Credentials.from_service_account_file(path, scopes=SCOPES)
        except (OSError, ValueError, KeyError) as exc:
            raise CalendarHTTPError(f"Google service account key {path!r} cannot be used: {exc}", status=401) from exc
        _cached[key] = credentials.with_subject(subject) if subject else credentials
    return _cached[key]


def access_token() -> str:
    path = getattr(settings, "GOOGLE_SERVICE_ACCOUNT_FILE", "")
    if not path:
        return getattr(settings, "GOOGLE_CALENDAR_ACCESS_TOKEN", "")
    import urllib3
    from google.auth.exceptions import GoogleAuthError
    from google.auth.transport.urllib3 import Request

    with _lock:  # one refresh at a time; the others then see the fresh token
        credentials = _service_account(path, getattr(settings, "GOOGLE_DELEGATED_USER", ""))
        if not credentials.valid:  # none yet, or expiring (google-auth keeps a safety margin)
            try:
                credentials.refresh(Request(urllib3.PoolManager(timeout=urllib3.Timeout(total=15))))
            except GoogleAuthError as exc:
                raise CalendarHTTPError(f"Google token refused: {exc}", status=401) from exc
        return credentials.token


def authorization() -> dict:
    return {"Authorization": f"Bearer {access_token()}"}


def google_call(method: str, url: str, *, body: dict | None = None) -> Answer:
    """One Google API call with the current token. A 401 with a service account means the
    token was revoked or expired early: it is refreshed once and the call repeated."""
    try:
        return call(method, url, headers=authorization(), body=body)
    except CalendarHTTPError as exc:
        if exc.status != 401 or not getattr(settings, "GOOGLE_SERVICE_ACCOUNT_FILE", ""):
            raise
    with _lock:
        for credentials in _cached.values():
            credentials.token = None  # not valid any more: the next access_token() refreshes
    return call(method, url, headers=authorization(), body=body)


def forget() -> None:
    """Drop cached credentials (tests; a rotated key file)."""
    with _lock:
        _cached.clear()
