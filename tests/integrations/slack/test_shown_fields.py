"""The ticket message's declared shown fields are complete (the old ``_SHOWN_FIELDS`` trap).

Every field the ticket services let people edit is changed one at a time on an in-memory
copy; if the rendered Slack message changes, the block builder must declare the field with
``@shows(...)``, otherwise an edit of it would never refresh the posted message.
"""

import copy

import pytest
from django.db import models

from erp.people.models import Department
from integrations.slack.core.kit import changed_shown
from integrations.slack.tickets.blocks.message import ticket_message
from integrations.slack.tickets.receivers import ticket_context
from tickets.models import Category, Ticket
from tickets.services.tickets import EDITABLE_FIELDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _other_value(ticket: Ticket, name: str):
    field = Ticket._meta.get_field(name)
    current = getattr(ticket, name)
    if isinstance(field, models.ForeignKey):
        if field.related_model is Department:
            return Department.objects.create(name="다른 팀", code="other-team")
        if field.related_model is Category:
            return Category.objects.create(name="다른 분류")
        raise AssertionError(f"add a value for {name} to this test")
    if field.choices:
        return next(value for value, _label in field.choices if value != current)
    if isinstance(field, models.BooleanField):
        return not current
    return f"{current} 변경됨"


@pytest.mark.parametrize("name", EDITABLE_FIELDS)
def test_every_editable_field_the_message_shows_is_declared(new_ticket, name):
    ticket = Ticket.objects.select_related("group", "category", "requester", "assignee").get(pk=new_ticket().pk)
    before = ticket_message(ticket, ticket_context(ticket))
    edited = copy.copy(ticket)
    setattr(edited, name, _other_value(ticket, name))
    after = ticket_message(edited, ticket_context(edited))
    if after != before:
        assert changed_shown(ticket_message, [name]), f"ticket_message shows {name!r}: add it to @shows(...)"


def test_a_shown_field_change_refreshes_and_another_does_not():
    assert changed_shown(ticket_message, ["title", "tags"])
    assert not changed_shown(ticket_message, ["tags"]) and not changed_shown(ticket_message, None)
