"""What alert groups and items contribute to the alert reports (erp.history rollups), by KST day.

Two rollups (scope = the source's owner team when folded, person = the source, 0 when none):

``alerts`` — one record per alert group (no severity dimension: a repeat raises a group's
severity without an audit event or, in a storm, a signal, so it could not be followed):
- ``opened`` on the day it was first seen;
- ``firing`` on that day while it still fires (the brief's and the widget's "still firing",
  a sum of small rows);
- ``resolved`` on the day it resolved, value = minutes from first seen (→ time to resolve; a
  group that fired again is measured from its first episode's start, the only one stored).
Changes: the group's audit events (opened, refired, resolved — written even while a storm
keeps the Slack signals quiet) and the open / resolve signals, inside the intake transaction.

``alert_items`` — one record per stored item, extra = its kind (KIND_CODES):
- ``items`` on the day it arrived (→ the noisiest sources);
- ``security_release`` for a release entry its subscription wanted that fixes a
  vulnerability (→ the brief's "new security releases").
Items are written once; the feed is their indexed ``received_at``. Figures only: no title,
text or address ever enters a rollup.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from erp.audit.models import AuditEvent
from erp.history.rollups import Cell, ChangeFeed, Rollup
from erp.workcalendar.calendar import KST

from . import signals
from .models import AlertGroup, GroupState, Item, ItemKind

KIND_CODES = {ItemKind.ALERT: 1, ItemKind.EMAIL: 2, ItemKind.RELEASE: 3, ItemKind.UNPARSED: 4}


def group_records():
    return AlertGroup.objects.annotate(
        opened_day=TruncDate("first_seen", tzinfo=KST),
        resolved_day=TruncDate("resolved_at", tzinfo=KST),
        resolved_after=ExpressionWrapper(F("resolved_at") - F("first_seen"), output_field=DurationField()),
        team=F("source__owner_team_id"),
    ).values("id", "source_id", "team", "state", "opened_day", "resolved_day", "resolved_after")


def group_cells(row: dict) -> list[Cell]:
    scope, source = row["team"] or 0, row["source_id"]
    cells = [Cell("opened", row["opened_day"], scope, source)]
    if row["state"] == GroupState.FIRING:
        cells.append(Cell("firing", row["opened_day"], scope, source))
    elif row["resolved_day"]:
        minutes = round(max(row["resolved_after"].total_seconds(), 0) / 60, 1)
        cells.append(Cell("resolved", row["resolved_day"], scope, source, value=minutes))
    return cells


def item_records():
    return Item.objects.annotate(day=TruncDate("received_at", tzinfo=KST), team=F("source__owner_team_id")).values(
        "id", "source_id", "team", "kind", "facts", "day"
    )


def item_cells(row: dict) -> list[Cell]:
    scope, source = row["team"] or 0, row["source_id"]
    cells = [Cell("items", row["day"], scope, source, KIND_CODES.get(row["kind"], 0))]
    facts = row["facts"] or {}
    if row["kind"] == ItemKind.RELEASE and facts.get("security") and facts.get("matched"):
        cells.append(Cell("security_release", row["day"], scope, source))
    return cells


def _audited_groups():
    return Q(content_type=ContentType.objects.get_for_model(AlertGroup))


def _changed_group(group, **_ignored):
    return [group.pk]


GROUP_ROLLUP = Rollup(
    key="alerts",
    label=_("Alerts and feeds"),
    records=group_records,
    contribute=group_cells,
    feeds=(ChangeFeed(AuditEvent, "created_at", "object_id", where=_audited_groups),),
    signals=((signals.group_opened, _changed_group), (signals.group_resolved, _changed_group)),
)
ITEM_ROLLUP = Rollup(
    key="alert_items",
    label=_("Alert items"),
    records=item_records,
    contribute=item_cells,
    feeds=(ChangeFeed(Item, "received_at"),),
)
