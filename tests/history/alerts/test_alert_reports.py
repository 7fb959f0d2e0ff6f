"""The alert rollups, report, widget and brief section (alerts/rollup.py, dashboard.py, brief.py).

The rollups equal the raw aggregates of the groups and items after random deliveries and
people's actions, folded at random moments; the report follows the module's visibility
(agents every source, others their team's); the brief counts alerts and never quotes one."""

import csv
import io
import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from alerts.models import AlertGroup, Delivery, GroupState, Item, ItemKind, Severity, Source, SourceKind
from alerts.rollup import KIND_CODES
from alerts.services import Incoming, alerts_receive, group_acknowledge, group_resolve
from erp.history.brief import brief_for
from erp.history.models import RollupCell, TeamBrief
from erp.history.rollups import fold, fold_all, get_rollup
from erp.history.widgets import widgets_for
from erp.workcalendar.calendar import KST
from integrations.slack.alerts.jobs import send_release_digest
from integrations.slack.core.models import SlackMessage
from tests.history.conftest import brief_round_trip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = date(2026, 12, 2)


def kst_day(moment):
    return timezone.localtime(moment, KST).date()


def rolled(rollup, metric):
    rows = RollupCell.objects.filter(rollup=rollup, metric=metric).values("day", "person", "extra")
    return {
        (r["day"], r["person"], r["extra"]): (round(r["t"], 1), r["c"])
        for r in rows.annotate(t=Sum("total"), c=Sum("n")).order_by()
        if r["c"]
    }


def raw_figures():
    counts = {m: Counter() for m in ("opened", "firing", "resolved", "items", "security_release")}
    minutes = Counter()
    for group in AlertGroup.objects.all():
        key = (kst_day(group.first_seen), group.source_id, 0)
        counts["opened"][key] += 1
        if group.state == GroupState.FIRING:
            counts["firing"][key] += 1
        elif group.resolved_at:
            done = (kst_day(group.resolved_at), *key[1:])
            counts["resolved"][done] += 1
            minutes[done] += round((group.resolved_at - group.first_seen).total_seconds() / 60, 1)
    for item in Item.objects.all():
        counts["items"][(kst_day(item.received_at), item.source_id, KIND_CODES[item.kind])] += 1
        if item.kind == ItemKind.RELEASE and item.facts.get("security") and item.facts.get("matched"):
            counts["security_release"][(kst_day(item.received_at), item.source_id, 0)] += 1
    return counts, minutes


def feed(team):
    return Source.objects.create(name="nginx 보안", kind=SourceKind.FEED, url="https://nginx.org/", owner_team=team)


def release(n, *, security=True, matched=True):
    return Incoming(
        external_id=f"r{n}", title=f"nginx-1.27.{n} with a fix for CVE-2026-{n:05d}", kind=ItemKind.RELEASE,
        status="", severity="", facts={"security": security, "matched": matched},
    )  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alert_rollups_equal_raw_aggregates_after_random_changes(seed, team, prometheus, time_machine):
    rng = random.Random(seed)
    nginx = feed(team["infra"])
    time_machine.move_to(datetime(2026, 11, 25, 9, 0, tzinfo=KST), tick=False)
    keys = ["disk:web1", "cpu:db1", "mem:api1", "net:lb1"]
    for step in range(50):
        time_machine.shift(timedelta(minutes=rng.choice([2, 30, 240, 700])))
        op = rng.choice(["fire", "fire", "recover", "resolve", "ack", "release", "fold"])
        key = rng.choice(keys)
        try:
            if op == "fire":
                severity = rng.choice(list(Severity.values))
                alerts_receive(source=prometheus, incoming=[Incoming(external_id=f"a{step}", key=key, title="디스크",
                                                                     severity=severity)])  # fmt: skip
            elif op == "recover":
                alerts_receive(source=prometheus, incoming=[Incoming(external_id=f"a{step}", key=key, title="디스크",
                                                                     status="resolved")])  # fmt: skip
            elif op in ("resolve", "ack"):
                group = AlertGroup.objects.filter(key=key).first()
                if group is not None:
                    action = group_resolve if op == "resolve" else group_acknowledge
                    action(group=group, by=team["agent"])
            elif op == "release":
                alerts_receive(source=nginx, incoming=[release(step, security=rng.random() < 0.6,
                                                               matched=rng.random() < 0.8)])  # fmt: skip
            else:
                fold(get_rollup("alerts"))
                fold(get_rollup("alert_items"))
        except (ValidationError, PermissionDenied):
            pass  # resolving a resolved group …
    time_machine.shift(timedelta(minutes=1))
    fold_all()
    counts, minutes = raw_figures()
    assert counts["resolved"] and counts["firing"] and counts["security_release"]  # the walk reached them
    for metric, expected in counts.items():
        rollup = "alert_items" if metric in ("items", "security_release") else "alerts"
        assert {k: n for k, (_t, n) in rolled(rollup, metric).items()} == dict(expected), metric
    assert {k: t for k, (t, _n) in rolled("alerts", "resolved").items()} == pytest.approx(dict(minutes))
    assert fold(get_rollup("alerts")).changed == 0 and fold(get_rollup("alert_items")).changed == 0


@pytest.fixture
def folded(team, prometheus, time_machine):
    """Yesterday: two groups (one resolved after 90 minutes), three security releases and a plain one."""
    nginx = feed(team["infra"])
    time_machine.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=KST), tick=False)
    alerts_receive(source=prometheus, incoming=[Incoming(external_id="a1", key="disk", title="web1 디스크 95% 김철수",
                                                         severity=Severity.CRITICAL)])  # fmt: skip
    alerts_receive(source=prometheus, incoming=[Incoming(external_id="a2", key="cpu", title="db1 CPU")])
    alerts_receive(source=nginx, incoming=[release(1), release(2), release(3), release(4, security=False)])
    time_machine.move_to(datetime(2026, 12, 1, 11, 30, tzinfo=KST), tick=False)
    alerts_receive(source=prometheus, incoming=[Incoming(external_id="a3", key="cpu", title="db1 CPU",
                                                         status="resolved")])  # fmt: skip
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=KST), tick=False)
    fold_all()
    return nginx


def report(http, user, **params):
    http.force_login(user)
    return http.get(reverse("reports:report", args=["alerts"]), {"start": "2026-11-01", "end": "2026-12-02", **params})


def figures(response):
    return {str(label): value for label, value in response.context["data"].figures}


def test_report_figures_filter_and_csv(client, team, prometheus, folded):
    shown = figures(report(client, team["agent"]))
    assert (shown["Alert groups opened"], shown["Resolved"], shown["Time to resolve"]) == ("2", "1", "1.5h")
    assert (shown["Still firing"], shown["Items received"], shown["Security releases"]) == ("1", "7", "3")
    only = figures(report(client, team["agent"], source=str(prometheus.pk)))
    assert (only["Items received"], only["Security releases"]) == ("3", "0")
    rows = list(
        csv.reader(io.StringIO(report(client, team["agent"], export="sources").content.decode().lstrip("\ufeff")))
    )
    assert rows[0] == ["Source", "Items", "Opened", "Resolved", "Time to resolve (h)", "Still firing"]
    assert rows[1:] == [["nginx 보안", "4", "0", "0", "", "0"], ["Prometheus", "3", "2", "1", "1.5", "1"]]
    assert report(client, team["agent"], source="0").status_code == 400


def test_permission_matrix(client, team, folded):
    assert report(client, team["agent"]).status_code == 200
    assert figures(report(client, team["member"]))["Alert groups opened"] == "2"  # their team owns the sources
    assert report(client, team["outsider"]).status_code == 403


def test_widget(team, folded):
    (data,) = [d for w, d in widgets_for(team["member"]) if w.key == "alerts.firing"]
    assert [(str(label), value) for label, value in data.figures] == [("Still firing", 1)]
    assert "alerts.firing" not in [w.key for w, _d in widgets_for(team["outsider"])]


def test_brief_for_the_owner_team_counts_and_never_quotes_an_alert(team, folded):
    ((_section, part),) = [(s, p) for s, p in brief_for(team["infra"], TODAY) if s.key == "alerts"]
    text = "\n".join(part.lines)
    assert text.splitlines()[:2] == [
        "Alert groups still firing: 1 (Prometheus 1)",
        "New security releases since 12-01: 3",
    ]
    assert "nginx-1.27.3 with a fix for CVE-2026-00003" in text and "nginx-1.27.4" not in text
    for private in ("web1", "김철수", "디스크", "db1"):
        assert private not in text
    assert not any(s.key == "alerts" for s, _p in brief_for(team["dev"], TODAY))


def test_the_brief_replaces_the_release_digest_of_the_owner_team_in_its_channel(team, folded, slack):
    Source.objects.filter(pk=folded.pk).update(delivery=Delivery.DIGEST)
    Item.objects.filter(source=folded).update(posted_at=None)
    ((_section, part),) = [(s, p) for s, p in brief_for(team["infra"], TODAY) if s.key == "alerts"]
    assert "Other new releases since 12-01: 1" in part.lines  # the plain release the digest would post
    brief_round_trip(
        team["infra"], send_release_digest, TODAY, section="alerts", channel="CINFRA001", kind="alerts.digest"
    )


def test_a_digest_to_another_channel_is_not_replaced(team, folded, slack):
    """The brief goes to the team's channel; a feed posting to a shared channel keeps its digest."""
    Source.objects.filter(pk=folded.pk).update(delivery=Delivery.DIGEST, slack_channel="CSECURITY")
    Item.objects.filter(source=folded).update(posted_at=None)
    TeamBrief.objects.create(department=team["infra"])
    assert send_release_digest(TODAY) == 1
    assert SlackMessage.objects.filter(target="CSECURITY", kind="alerts.digest").exists()
