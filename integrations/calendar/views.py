"""The endpoint Google posts push notifications to (bodiless POSTs, X-Goog-* headers)."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .push import notified


@csrf_exempt  # Google cannot send a CSRF token; the channel token is checked instead
@require_POST
def google_push(request):
    known = notified(
        channel_id=request.headers.get("X-Goog-Channel-ID", ""),
        token=request.headers.get("X-Goog-Channel-Token", ""),
        state=request.headers.get("X-Goog-Resource-State", ""),
    )
    # 200 tells Google the notification arrived; an unknown or forged channel gets 404 and
    # changes nothing (a stopped channel may still deliver a last notification).
    return HttpResponse(status=200 if known else 404)
