import pytest
from django.core.management import CommandError, call_command

from erp.audit.selectors import audit_trail
from tests.factories import make_employee

pytestmark = pytest.mark.django_db


def test_link_employees_by_email(slack, capsys):
    kim = make_employee("kim", email="kim@haru.example")
    guest = make_employee("guest", email="guest@partner.example")
    stranger = make_employee("lee", email="lee@haru.example")
    slack.add_user("kim@haru.example", "U0KIM")
    slack.add_user("guest@partner.example", "U0GUEST", is_restricted=True)

    call_command("slack_link_employees")

    kim.refresh_from_db(), guest.refresh_from_db(), stranger.refresh_from_db()
    assert kim.slack_user_id == "U0KIM"
    assert guest.slack_user_id is None
    assert stranger.slack_user_id is None
    looked_up = {c.args["email"] for c in slack.calls_to("users.lookupByEmail")}
    assert looked_up == {"kim@haru.example", "guest@partner.example", "lee@haru.example"}
    assert audit_trail(kim).get().source == "system"
    out = capsys.readouterr().out
    assert "U0KIM" in out and "1" in out


def test_link_without_token_says_slack_is_not_configured(settings):
    settings.SLACK_BOT_TOKEN = ""
    with pytest.raises(CommandError, match="SLACK_BOT_TOKEN"):
        call_command("slack_link_employees")
