"""Grouping, de-duplication, state changes, people's actions and who may take them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alerts import signals
from alerts.models import AlertGroup, GroupState, Item, Severity
from alerts.selectors import can_act, visible_groups
from alerts.services import (
    Incoming,
    alerts_receive,
    group_acknowledge,
    group_open_ticket,
    group_resolve,
    group_snooze,
)
from erp.audit.models import AuditEvent


def firing(n, key="disk:web1", **extra):
    return Incoming(external_id=f"a{n}", key=key, title="web1 디스크 95%", **extra)


def test_repeats_fold_into_one_group_with_count_and_last_seen(prometheus):
    alerts_receive(source=prometheus, incoming=[firing(1)])
    result = alerts_receive(source=prometheus, incoming=[firing(2), firing(3, severity=Severity.CRITICAL)])
    group = AlertGroup.objects.get()
    assert (group.count, group.state, group.severity) == (3, GroupState.FIRING, Severity.CRITICAL)
    assert result.as_dict() == {"stored": 2, "duplicates": 0, "groups": 1}
    assert Item.objects.filter(group=group).count() == 3


def test_a_repeated_delivery_is_stored_once(prometheus):
    alerts_receive(source=prometheus, incoming=[firing(1)])
    again = alerts_receive(source=prometheus, incoming=[firing(1)])
    assert again.as_dict() == {"stored": 0, "duplicates": 1, "groups": 0}
    assert AlertGroup.objects.get().count == 1


def test_ids_stored_meanwhile_by_another_delivery_do_not_lose_the_others(prometheus, monkeypatch):
    """Between the batch's look-up of stored ids and its INSERT another delivery stored one of
    them (the look-up misses it here): the batch goes again one item at a time."""
    alerts_receive(source=prometheus, incoming=[firing(1)])
    monkeypatch.setattr("alerts.services.intake._stored_ids", lambda source, ids: set())
    result = alerts_receive(source=prometheus, incoming=[firing(1), firing(2), firing(3)])
    assert result.as_dict() == {"stored": 2, "duplicates": 1, "groups": 1}
    assert AlertGroup.objects.get().count == 3 and Item.objects.count() == 3


def test_resolution_and_refiring_send_their_signals(prometheus, django_capture_on_commit_callbacks):
    seen = []

    def record(signal_name):
        return lambda sender, group, **kw: seen.append((signal_name, group.state))

    receivers = {name: record(name) for name in ("opened", "repeated", "resolved")}
    signals.group_opened.connect(receivers["opened"])
    signals.group_repeated.connect(receivers["repeated"])
    signals.group_resolved.connect(receivers["resolved"])
    try:
        alerts_receive(source=prometheus, incoming=[firing(1)])
        alerts_receive(source=prometheus, incoming=[firing(2)])
        alerts_receive(source=prometheus, incoming=[firing(3, status="resolved")])
        alerts_receive(source=prometheus, incoming=[firing(4)])
    finally:
        for name, receiver in receivers.items():
            getattr(signals, f"group_{name}").disconnect(receiver)
    assert seen == [("opened", "firing"), ("repeated", "firing"), ("resolved", "resolved"), ("opened", "firing")]
    actions = list(
        AuditEvent.objects.filter(object_repr="web1 디스크 95%").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["opened", "resolved", "refired"]


def test_people_act_on_a_group_idempotently(prometheus, team):
    alerts_receive(source=prometheus, incoming=[firing(1)])
    group = AlertGroup.objects.get()
    group_acknowledge(group=group, by=team["member"])
    group_acknowledge(group=group, by=team["agent"])  # already acknowledged: the first one stands
    group.refresh_from_db()
    assert group.acknowledged_by == team["member"]
    group_snooze(group=group, by=team["member"])
    group.refresh_from_db()
    assert group.snoozed_until - timezone.now() > timedelta(minutes=59)
    group_resolve(group=group, by=team["agent"])
    group_resolve(group=group, by=team["agent"])
    assert AuditEvent.objects.filter(action="resolved").count() == 1
    with pytest.raises(ValidationError):
        group_snooze(group=group, by=team["member"], minutes=0)


def test_outsiders_neither_see_nor_act(prometheus, team):
    alerts_receive(source=prometheus, incoming=[firing(1)])
    group = AlertGroup.objects.get()
    assert list(visible_groups(team["outsider"])) == []
    assert list(visible_groups(team["member"])) == [group]
    assert not can_act(team["outsider"], group)
    with pytest.raises(PermissionDenied):
        group_acknowledge(group=group, by=team["outsider"])


def test_a_critical_group_opens_a_p1_incident_for_the_owner_team(prometheus, team):
    alerts_receive(source=prometheus, incoming=[firing(1, severity=Severity.CRITICAL)])
    group = AlertGroup.objects.get()
    ticket = group_open_ticket(group=group, by=team["agent"])
    assert (ticket.priority, ticket.group, ticket.ticket_type) == ("P1", team["infra"], "incident")
    assert group_open_ticket(group=group, by=team["agent"]) == ticket  # linked once
    group.refresh_from_db()
    assert group.ticket == ticket


def test_linking_an_existing_ticket_by_number(prometheus, team):
    alerts_receive(source=prometheus, incoming=[firing(1, severity=Severity.WARNING)])
    first = AlertGroup.objects.get()
    ticket = group_open_ticket(group=first, by=team["agent"])
    alerts_receive(source=prometheus, incoming=[firing(2, key="other")])
    other = AlertGroup.objects.get(key="other")
    assert group_open_ticket(group=other, by=team["agent"], ticket_ref=ticket.number) == ticket
    with pytest.raises(ValidationError):
        group_open_ticket(
            group=AlertGroup.objects.create(
                source=prometheus, key="x", title="x", first_seen=timezone.now(), last_seen=timezone.now()
            ),
            by=team["agent"],
            ticket_ref="INC-99999",
        )
