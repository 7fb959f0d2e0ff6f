from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """Business hours per weekday (KST). A weekday without a row is not a working day."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, unique=True)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}~{self.end:%H:%M}"

    def clean(self):
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": _("The end must be after the start.")})


class CompanyDayOff(models.Model):
    """A company-wide day off on top of the public holidays (e.g. 창립기념일)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("company day off")
        verbose_name_plural = _("company days off")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class BreakMode(models.TextChoices):
    # The default, and what every work day derived before this setting existed used.
    PRESENCE = "presence", _("Statutory minimum by time present")
    LUNCH_WINDOW = "lunch_window", _("Fixed lunch window")
    PUNCHES = "punches", _("Break punches")


class BreakPolicy(models.Model):
    """How attendance finds a work day's break (one row; no row = the defaults below).

    Every mode keeps the statutory minimum (근로기준법 제54조, ATTENDANCE_BREAKS) as a floor:
    the lunch window deducts its overlap with the work span, break punches deduct what was
    recorded, and a day that covers less (a night shift, an afternoon) still has its minimum.
    """

    mode = models.CharField(_("break time"), max_length=20, choices=BreakMode.choices, default=BreakMode.PRESENCE)
    lunch_start = models.TimeField(_("lunch starts"), default=time(12, 0))
    lunch_end = models.TimeField(_("lunch ends"), default=time(13, 0))

    class Meta:
        verbose_name = _("break policy")
        verbose_name_plural = _("break policy")

    def __str__(self):
        return f"{self.get_mode_display()} ({self.lunch_start:%H:%M}~{self.lunch_end:%H:%M})"

    def clean(self):
        if self.lunch_start and self.lunch_end and self.lunch_start >= self.lunch_end:
            raise ValidationError({"lunch_end": _("The end must be after the start.")})
