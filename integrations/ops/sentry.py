"""Optional error reports to Sentry (SENTRY_DSN), personal data masked as in logs and Slack.

The SDK leaves cookies, user ids and IP addresses out by default; the hooks then mask
every string left in the event (messages, exception values, local variables, breadcrumbs,
request data) with erp.core.pii.mask_pii, the function the logs and Slack messages use.
"""

from erp.core.pii import mask_pii


def scrub(value):
    """A copy of ``value`` with every string masked (dicts and lists walked)."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value


def before_send(event, hint):
    return scrub(event)


def before_breadcrumb(crumb, hint):
    return scrub(crumb)


def init(dsn: str, *, environment: str = "", release: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=0,
    )
