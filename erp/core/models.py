"""Tables of the shared core."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReceiptState(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")


class WebhookReceipt(models.Model):
    """One webhook delivery that carried an idempotency key, and the answer it got.

    The row is inserted (and committed) BEFORE the delivery is handled: a repeat that
    arrives meanwhile hits the unique constraint and is told to retry (409) instead of being
    handled twice; a repeat after the first finished gets the stored answer. A delivery whose
    handling failed deletes its row, so the sender's retry is handled again. See
    erp/core/webhooks/idempotency.py; rows are purged after RECEIPT_RETENTION.
    """

    source = models.CharField(_("webhook source"), max_length=64)
    # Who sent it (a device's id), so two senders of one source cannot collide on a key.
    principal = models.CharField(_("sender"), max_length=64, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200)
    body_sha256 = models.CharField(_("body SHA-256"), max_length=64)
    state = models.CharField(_("state"), max_length=12, choices=ReceiptState.choices, default=ReceiptState.PROCESSING)
    # Changes when a stale claim is taken over: the first handler's late result is then refused.
    claim = models.UUIDField(_("claim"))
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("answer status"), null=True, blank=True)
    content_type = models.CharField(_("answer content type"), max_length=100, blank=True)
    response_body = models.TextField(_("answer body"), blank=True)
    duplicates = models.PositiveIntegerField(_("repeated deliveries"), default=0)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "principal", "key"], name="core_webhook_receipt_once"),
        ]
        verbose_name = _("webhook receipt")
        verbose_name_plural = _("webhook receipts")

    def __str__(self):
        return f"{self.source} {self.key}"


class ScheduledRun(models.Model):
    """A daily job ran for a day (erp.core.scheduled): at most one row per (job, day).

    Written in the same transaction as the job's work, so a failed run leaves no row and
    the next beat tick tries again. Deleting a row lets the job run again that day (only
    targets that got nothing are posted to: senders keep their own once keys).
    """

    job = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("date"))
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    result = models.PositiveIntegerField(_("posts queued"), default=0)

    class Meta:
        ordering = ["-day", "job"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="core_scheduled_run_once_per_day")]

    def __str__(self):
        return f"{self.job} {self.day:%Y-%m-%d}"


class RetentionSetting(models.Model):
    """An admin's change to one retention policy (erp.core.retention): its period, or a pause.

    Without a row the policy's default applies; a period below the policy's legal minimum
    is refused by the form and ignored by the run.
    """

    key = models.CharField(_("record type"), max_length=64, unique=True)
    days = models.PositiveIntegerField(_("kept for (days)"))
    enabled = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("retention setting")
        verbose_name_plural = _("retention settings")

    def __str__(self):
        return self.key


class RetentionRun(models.Model):
    """One run of the retention policies: how many records each deleted or anonymised."""

    ran_at = models.DateTimeField(_("ran at"), db_index=True)
    counts = models.JSONField(_("records handled"), default=dict, blank=True)
    failed = models.JSONField(_("failed policies"), default=list, blank=True)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}"


class SecuritySettings(models.Model):
    """Security rules an admin sets (one row, ``SecuritySettings.current()``; audited edits).

    Session lifetime (issue 15): a signed-in session ends after ``session_idle_minutes``
    without a request, and in any case ``session_max_hours`` after the login
    (erp/core/session_lifetime.py). 0 switches either limit off.
    """

    session_idle_minutes = models.PositiveIntegerField(
        _("log out after inactivity (minutes)"),
        default=120,
        help_text=_("A session without any request for this long ends. 0: never."),
    )
    session_max_hours = models.PositiveIntegerField(
        _("longest session (hours)"),
        default=12,
        help_text=_("A session ends this long after the login, however active. 0: no limit."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")

    def __str__(self):
        return str(_("Security settings"))

    # This process's copy: read on every signed-in request, dropped when the row is saved or
    # deleted (signals connected in erp/core/session_lifetime.py).
    _current = None

    @classmethod
    def current(cls) -> "SecuritySettings":
        """The row (cached in this process until it changes), or the defaults."""
        if SecuritySettings._current is None:
            found = cls.objects.order_by("pk").first()
            SecuritySettings._current = found if found is not None else cls()
        return SecuritySettings._current

    @classmethod
    def forget_current(cls, **kwargs) -> None:
        SecuritySettings._current = None
