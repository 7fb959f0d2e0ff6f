"""Who may post to a webhook: a token in a header, HTTP Basic credentials, or an HMAC-SHA256
signature of the body.

Each class is a DRF authentication class configured per source (instances, not subclasses),
so DRF's 401 handling (``WWW-Authenticate``) and drf-spectacular's security schemes work as
for any API. Secrets are read from settings at call time (tests and rotations need no
restart) and compared in constant time; a setting may hold a list of secrets, so a new one
can be rolled out before the old one is retired. An empty secret never matches.
"""

import base64
import binascii
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication


def meta_key(header: str) -> str:
    """``X-Device-Token`` → ``HTTP_X_DEVICE_TOKEN`` (how WSGI hands headers to Django)."""
    return "HTTP_" + header.upper().replace("-", "_")


def setting_secrets(name: str):
    """A getter for the secret(s) in ``settings.<name>``: a string, or a list while rotating."""

    def secrets() -> list[bytes]:
        value = getattr(settings, name, "") or ""
        values = [value] if isinstance(value, str) else list(value)
        return [v.encode() for v in values if v]

    return secrets


def matches_any(given: bytes, secrets: list[bytes]) -> bool:
    # Every secret is compared (no early exit), so the timing does not tell which one matched.
    found = False
    for secret in secrets:
        found |= hmac.compare_digest(given, secret)
    return found


def shared_token(setting: str):
    """A TokenAuth lookup: the token must be ``settings.<setting>``; the principal is that name."""
    secrets = setting_secrets(setting)
    return lambda token: setting if matches_any(token.encode(), secrets()) else None


def shared_basic(username_setting: str, password_setting: str):
    """A BasicAuth lookup against two settings; the principal is the username setting's name."""
    usernames, passwords = setting_secrets(username_setting), setting_secrets(password_setting)

    def lookup(username: str, password: str):
        # Both halves are always compared: & instead of `and`.
        ok = matches_any(username.encode(), usernames()) & matches_any(password.encode(), passwords())
        return username_setting if ok else None

    return lookup


class TokenAuth(BaseAuthentication):
    """``Authorization: <scheme> <token>``, or the token alone in one of ``headers``.

    ``lookup(token)`` returns whom the token stands for (a Device, a source name) or None for
    an unknown token (401 with ``rejected``). The scheme is matched exactly as written, e.g.
    ``Device``; when the Authorization header names another scheme, ``headers`` are tried.
    """

    def __init__(self, lookup, *, scheme="Bearer", headers=(), rejected=None, schema_name="WebhookToken"):
        self.lookup, self.scheme, self.headers = lookup, scheme, tuple(headers)
        self.rejected = rejected or _("Unknown or revoked token.")
        self.schema_name = schema_name

    def token(self, request) -> str:
        token = ""
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and self.scheme:
            keyword, _sep, value = header.partition(" ")
            if keyword == self.scheme:
                token = value.strip()
        for name in self.headers:
            token = token or request.META.get(meta_key(name), "").strip()
        return token

    def authenticate(self, request):
        token = self.token(request)
        if not token:
            return None
        principal = self.lookup(token)
        if principal is None:
            raise exceptions.AuthenticationFailed(self.rejected)
        return AnonymousUser(), principal

    def authenticate_header(self, request):
        return self.scheme or self.headers[0]

    @property
    def description(self) -> str:
        where = f"`{self.scheme} <token>`" if self.scheme else f"`{self.headers[0]}: <token>`"
        others = self.headers if self.scheme else self.headers[1:]
        return where + (f" (or the {', '.join(others)} header)" if others else "")


class BasicAuth(BaseAuthentication):
    """HTTP Basic credentials (Alertmanager's ``basic_auth``, Grafana's and Google Cloud's
    basic-auth webhooks). ``lookup(username, password)`` returns the principal or None."""

    def __init__(self, lookup, *, realm="Haru ERP", rejected=None, schema_name="WebhookBasic"):
        self.lookup, self.realm, self.schema_name = lookup, realm, schema_name
        self.rejected = rejected or _("Wrong user name or password.")

    def authenticate(self, request):
        keyword, _sep, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if keyword.lower() != "basic":
            return None
        try:
            username, colon, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            colon = ""
        if not colon:
            raise exceptions.AuthenticationFailed(_("Malformed Basic credentials."))
        principal = self.lookup(username, password)
        if principal is None:
            raise exceptions.AuthenticationFailed(self.rejected)
        return AnonymousUser(), principal

    def authenticate_header(self, request):
        return f'Basic realm="{self.realm}"'


class HmacAuth(BaseAuthentication):
    """``header`` carries HMAC-SHA256(secret, body) as hex (or base64), after an optional
    ``prefix`` such as ``sha256=``.

    With ``timestamp_header`` the signed message is ``<timestamp><separator><body>`` (Grafana:
    ``timestamp:body``) and a timestamp (Unix seconds) further than ``max_age`` seconds from
    now is refused, so a captured delivery cannot be replayed later.

    The signature covers the raw body, so DRF never calls ``authenticate`` usefully here:
    WebhookView calls ``verify`` once the body has passed the size guard.
    """

    needs_body = True

    def __init__(
        self,
        secret_setting: str,
        *,
        header: str,
        prefix: str = "",
        encoding: str = "hex",
        timestamp_header: str | None = None,
        separator: bytes = b":",
        max_age: int = 300,
        schema_name: str = "WebhookSignature",
    ):
        if encoding not in ("hex", "base64"):
            raise ValueError(encoding)
        self.secret_setting, self.secrets = secret_setting, setting_secrets(secret_setting)
        self.header, self.prefix, self.encoding = header, prefix, encoding
        self.timestamp_header, self.separator, self.max_age = timestamp_header, separator, max_age
        self.schema_name = schema_name

    def authenticate(self, request):
        return None

    def authenticate_header(self, request):
        return "HMAC-SHA256"

    def verify(self, request, body: bytes):
        """The principal (the secret's setting name), None without a signature header, or 401."""
        if not request.META.get(meta_key(self.header), "").strip():
            return None
        check_signature(request, body, self.secrets(), self)
        return self.secret_setting


def check_signature(request, body: bytes, secrets: list[bytes], rule) -> None:
    """Refuse (401) unless ``rule.header`` holds HMAC-SHA256 over the body (``timestamp`` +
    ``separator`` + body with a ``timestamp_header``) under one of ``secrets``.

    ``rule`` names the header, prefix, encoding, timestamp header, separator and max_age
    (an HmacAuth or a PrincipalSignature). Constant-time comparison against every secret.
    """
    given = request.META.get(meta_key(rule.header), "").strip()
    if not given:
        raise exceptions.AuthenticationFailed(_("This sender must sign its requests: the signature header is missing."))
    if not given.startswith(rule.prefix):
        raise exceptions.AuthenticationFailed(_("The signature is not valid."))
    given = given[len(rule.prefix) :]
    message = body
    if rule.timestamp_header:
        stamp = request.META.get(meta_key(rule.timestamp_header), "").strip()
        # At most 12 ASCII digits: int() of a huge or non-ASCII "digit" string is slow or wrong.
        if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
            raise exceptions.AuthenticationFailed(_("The signature timestamp is missing or not in Unix seconds."))
        if abs(timezone.now().timestamp() - int(stamp)) > rule.max_age:
            raise exceptions.AuthenticationFailed(
                _("The signature timestamp is too far from the current time; check the sender's clock.")
            )
        message = stamp.encode() + rule.separator + body
    expected = [_encoded(hmac.new(secret, message, hashlib.sha256).digest(), rule.encoding) for secret in secrets]
    given_bytes = given.lower().encode() if rule.encoding == "hex" else given.encode()
    if not given_bytes.isascii() or not matches_any(given_bytes, expected):
        raise exceptions.AuthenticationFailed(_("The signature is not valid."))


def _encoded(digest: bytes, encoding: str) -> bytes:
    return digest.hex().encode() if encoding == "hex" else base64.b64encode(digest)


class PrincipalSignature:
    """A signature checked *after* a token named the sender, with the sender's own secret.

    ``secret_of(principal)`` returns that sender's secret, or "" when it does not sign (then
    the request is accepted unsigned, and a signature it sends anyway is ignored). Used by
    the device webhook: the token says which device, the device's secret signs the body.
    """

    def __init__(
        self,
        secret_of,
        *,
        header: str,
        timestamp_header: str,
        prefix: str = "",
        encoding: str = "hex",
        separator: bytes = b".",
        max_age: int = 300,
    ):
        if encoding not in ("hex", "base64"):
            raise ValueError(encoding)
        self.secret_of, self.header, self.timestamp_header = secret_of, header, timestamp_header
        self.prefix, self.encoding, self.separator, self.max_age = prefix, encoding, separator, max_age

    def check(self, request, principal, body: bytes) -> None:
        secret = self.secret_of(principal) if principal is not None else ""
        if secret:
            check_signature(request, body, [secret.encode()], self)


# --- OpenAPI: each configured instance documents itself -------------------------------------
class _InstanceScheme(OpenApiAuthenticationExtension):
    match_subclasses = True

    def __init__(self, target):
        super().__init__(target)
        self.name = target.schema_name


class TokenAuthScheme(_InstanceScheme):
    target_class = TokenAuth

    def get_security_definition(self, auto_schema):
        target = self.target
        name = "Authorization" if target.scheme else target.headers[0]
        return {"type": "apiKey", "in": "header", "name": name, "description": target.description}


class BasicAuthScheme(_InstanceScheme):
    target_class = BasicAuth

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}


class HmacAuthScheme(_InstanceScheme):
    target_class = HmacAuth

    def get_security_definition(self, auto_schema):
        target = self.target
        separator = target.separator.decode()
        signed = f"`<{target.timestamp_header}>{separator}<body>`" if target.timestamp_header else "the raw body"
        return {
            "type": "apiKey",
            "in": "header",
            "name": target.header,
            "description": f"HMAC-SHA256 of {signed}, {target.encoding}"
            + (f", after `{target.prefix}`" if target.prefix else ""),
        }
