"""Google push channels (events.watch) opened for room calendars."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PushChannel(models.Model):
    """One notification channel Google holds open for a source's calendar until it expires.

    Google never renews a channel: a new one is opened before the old one expires, then the
    old one is stopped (integrations.calendar.push). The token is echoed by Google in every
    notification and checked, so a forged POST cannot trigger syncs.
    """

    source = models.ForeignKey(
        "meetings.CalendarSource", verbose_name=_("calendar source"), on_delete=models.CASCADE, related_name="+"
    )
    channel_id = models.CharField(_("channel id"), max_length=64, unique=True)
    resource_id = models.CharField(_("resource id"), max_length=200, blank=True)
    token = models.CharField(_("token"), max_length=64)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last notification"), null=True, blank=True)
    messages = models.PositiveIntegerField(_("notifications"), default=0)

    class Meta:
        verbose_name = _("calendar push channel")
        verbose_name_plural = _("calendar push channels")
        ordering = ["-expires_at"]

    def __str__(self):
        return self.channel_id
