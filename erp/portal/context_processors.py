from django.conf import settings

from .registry import nav_items_for


def portal(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_items": nav_items_for(user) if signed_in else [],
        "slack_configured": bool(settings.SLACK_BOT_TOKEN),
    }
