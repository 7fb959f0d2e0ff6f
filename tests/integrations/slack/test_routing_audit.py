"""Routing rules changed in the admin are audited: form (agent groups included),
list_editable position/active, delete page and "delete selected"."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from erp.audit.selectors import audit_trail
from integrations.slack.core.models import RoutingRule, TimeWindow
from tests.admin_pages import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def admin_user_obj(admin_client):
    return get_user_model().objects.get(username="admin")


def test_rule_added_and_changed_through_the_form(admin_client, admin_user_obj, people):
    add = reverse("admin:integrations_routingrule_add")
    data = form_data(admin_client.get(add))
    data.update(
        name="P1 after hours",
        position="20",
        priorities=["P1"],
        groups=[str(people["infra"].pk)],
        time_window=TimeWindow.AFTER_HOURS,
        channels="CNIGHT001",
        mentions="SONCALL01",
    )
    response = admin_client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = RoutingRule.objects.get()
    created = audit_trail(rule).get()
    assert created.action == "created"
    assert created.changes["groups"] == [None, ["인프라팀"]]
    assert created.changes["priorities"] == [None, ["P1"]]
    assert created.changes["channels"] == [None, "CNIGHT001"]
    assert (created.actor, created.source) == (admin_user_obj, "admin")

    change = reverse("admin:integrations_routingrule_change", args=[rule.pk])
    data = form_data(admin_client.get(change))
    data.update(groups=[str(people["infra"].pk), str(people["dev"].pk)], priorities=["P1", "P2"])
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(rule.groups.values_list("code", flat=True)) == {"infra", "dev"}
    updated = audit_trail(rule).first()
    assert updated.action == "updated"
    assert updated.changes == {
        "priorities": [["P1"], ["P1", "P2"]],
        "groups": [["인프라팀"], ["개발팀", "인프라팀"]],
    }


def test_position_and_active_changed_in_the_changelist(admin_client, admin_user_obj):
    rules = [
        RoutingRule.objects.create(name=name, position=position, channels="CGENERAL1")
        for name, position in (("first", 10), ("second", 20))
    ]
    url = reverse("admin:integrations_routingrule_changelist")
    data = form_data(admin_client.get(url), form_id="changelist-form")
    index = next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-id") and v == str(rules[1].pk))
    data[f"form-{index}-position"] = "5"
    del data[f"form-{index}-is_active"]  # unticked
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context["cl"].formset.errors

    event = audit_trail(rules[1]).get()
    assert event.changes == {"position": [20, 5], "is_active": [True, False]}
    assert (event.actor, event.source) == (admin_user_obj, "admin")
    assert not audit_trail(rules[0]).exists()


def test_rules_deleted_one_by_one_and_in_bulk(admin_client, admin_user_obj, people):
    single, *bulk = [
        RoutingRule.objects.create(name=name, channels="CGENERAL1") for name in ("single", "bulk 1", "bulk 2")
    ]
    single.groups.set([people["infra"]])
    response = admin_client.post(reverse("admin:integrations_routingrule_delete", args=[single.pk]), {"post": "yes"})
    assert response.status_code == 302
    event = audit_trail(single).get()
    assert event.action == "deleted" and event.object_repr == "single"
    assert event.changes["groups"] == [["인프라팀"], None] and event.changes["channels"] == ["CGENERAL1", None]
    assert (event.actor, event.source) == (admin_user_obj, "admin")

    response = admin_client.post(
        reverse("admin:integrations_routingrule_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in bulk], "post": "yes"},
    )
    assert response.status_code == 302 and not RoutingRule.objects.exists()
    assert [audit_trail(r).get().action for r in bulk] == ["deleted", "deleted"]
