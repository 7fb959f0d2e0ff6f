from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """A person's search, kept under a name; shared with a department, its members run it too.

    Only the query parameters are stored: whoever runs it sees what their own permissions show.
    """

    owner = models.ForeignKey(
        "people.Employee", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=80)
    params = models.JSONField(_("search"), default=dict)
    shared_with = models.ForeignKey(
        "people.Department",
        verbose_name=_("shared with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_searches",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        indexes = [models.Index(fields=["shared_with", "name"], name="history_saved_shared")]

    def __str__(self):
        return self.name


class RollupCell(models.Model):
    """One figure of a rollup: the sum and count of what records contributed to a day and its dims.

    ``scope`` is the dimension permissions cut on (a group, a department), ``person`` an
    employee or user id, ``extra`` a third dimension (a category); 0 means "none". Reports
    read these (small) rows, never the module's tables; erp.history.rollups keeps them current.
    """

    rollup = models.CharField(max_length=40)
    metric = models.CharField(max_length=40)
    day = models.DateField()
    scope = models.BigIntegerField(default=0)
    person = models.BigIntegerField(default=0)
    extra = models.BigIntegerField(default=0)
    total = models.FloatField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rollup", "metric", "day", "scope", "person", "extra"], name="history_rollup_cell_key"
            )
        ]
        # Reports and widgets sum a metric's cells over a period, or over all time (the backlog),
        # for everyone or for one scope (a team). Both indexes carry what those sums read, so on
        # PostgreSQL they are index-only scans: at 1,000,000 tickets the home page's backlog sums
        # read ~130,000 cells, 40 ms each from the table, 15-22 ms from the index.
        indexes = [
            models.Index(
                fields=["rollup", "metric", "scope", "day"], include=["total", "n"], name="history_rollup_scope_day"
            ),
            models.Index(
                fields=["rollup", "metric", "day"], include=["scope", "total", "n"], name="history_rollup_day"
            ),
        ]

    def __str__(self):
        return f"{self.rollup}.{self.metric} {self.day} {self.scope}/{self.person}/{self.extra}"


class RollupFact(models.Model):
    """What one record contributes now (its cells as compact JSON), so a change folds in as a delta."""

    rollup = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    cells = models.TextField(default="[]")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rollup", "object_id"], name="history_rollup_fact_key")]

    def __str__(self):
        return f"{self.rollup}:{self.object_id}"


class RollupChange(models.Model):
    """A record a domain signal said changed, waiting for the next fold (written in its transaction)."""

    rollup = models.CharField(max_length=40)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rollup", "object_id"], name="history_rollup_change_key")]

    def __str__(self):
        return f"{self.rollup}:{self.object_id}"


class RollupCursor(models.Model):
    """How far a rollup's change feed has been folded (the feed field's value at the last fold)."""

    rollup = models.CharField(max_length=40, unique=True)
    folded_until = models.DateTimeField(null=True, blank=True)
    folded_at = models.DateTimeField(null=True, blank=True)
    # PostgreSQL: the snapshot (pg_current_snapshot()) the last fold read its feeds with. A row
    # version visible in it was folded then, so the next fold need not read it again for the
    # overlap (erp.history.rollups.FEED_OVERLAP).
    snapshot = models.TextField(blank=True, default="")

    def __str__(self):
        return self.rollup


class TeamBrief(models.Model):
    """A team (department) that gets the morning brief in its Slack channel."""

    department = models.OneToOneField(
        "people.Department", verbose_name=_("team"), on_delete=models.CASCADE, related_name="brief"
    )
    active = models.BooleanField(_("active"), default=True)
    replace_morning_posts = models.BooleanField(
        _("replace the separate morning posts"),
        default=True,
        help_text=_(
            "The team gets one brief instead of the separate morning posts its sections carry: the ticket digest, "
            "the attendance post, the coupon summary, the room agenda, the inquiry nudge and the release digest "
            "in the team's channel."
        ),
    )

    class Meta:
        verbose_name = _("team morning brief")
        verbose_name_plural = _("team morning briefs")

    def __str__(self):
        return str(self.department)
