from django.db import models
from django.utils.translation import gettext_lazy as _


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
