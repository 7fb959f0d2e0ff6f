"""/attendance break (휴게) and back (복귀): only when the company records breaks by punches."""

import pytest

from attendance.models import Direction, Punch, WorkDay
from erp.audit.models import AuditEvent
from erp.workcalendar.models import BreakMode, BreakPolicy

from .conftest import attendance_command, employee, ephemeral_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_break_words_are_refused_while_breaks_are_deducted_by_presence(post, team):
    attendance_command(post, "in", "UAGENT001")
    text = ephemeral_text(attendance_command(post, "break", "UAGENT001"))
    assert "not recorded by punches" in text
    assert "break | 휴게" not in ephemeral_text(attendance_command(post, "help", "UAGENT001"))
    assert not Punch.objects.filter(direction=Direction.BREAK_START).exists()


def test_break_and_back_in_english_and_korean(post, team):
    BreakPolicy.objects.create(mode=BreakMode.PUNCHES)
    assert "break | 휴게" in ephemeral_text(attendance_command(post, "help", "UAGENT001"))
    text = ephemeral_text(attendance_command(post, "break", "UAGENT001"))
    assert "You have not checked in today." in text
    attendance_command(post, "in", "UAGENT001")
    text = ephemeral_text(attendance_command(post, "break", "UAGENT001"))
    assert "Break started at" in text and "On a break since" in text
    assert "already on a break" in ephemeral_text(attendance_command(post, "break", "UAGENT001"))
    text = ephemeral_text(attendance_command(post, "back", "UAGENT001"))
    assert "Break ended at" in text and "On a break since" not in text
    assert "not on a break" in ephemeral_text(attendance_command(post, "back", "UAGENT001"))
    event = AuditEvent.objects.filter(action="break_started").get()
    assert event.source == "slack" and event.context["slack_user_id"] == "UAGENT001"

    attendance_command(post, "출근", "UKOREAN01")
    text = ephemeral_text(attendance_command(post, "휴게", "UKOREAN01"))
    assert "휴게 시작" in text
    text = ephemeral_text(attendance_command(post, "복귀", "UKOREAN01"))
    assert "휴게 종료" in text
    directions = Punch.objects.filter(employee=employee(team["korean"])).values_list("direction", flat=True)
    assert sorted(directions) == sorted([Direction.IN, Direction.BREAK_START, Direction.BREAK_END])
    assert WorkDay.objects.get(employee=employee(team["korean"])).first_in is not None


def test_korean_help_shows_korean_placeholders(post, team):
    """korean.md §3 #13: no English placeholders (PLACE, title, person …) in the Korean help."""
    text = ephemeral_text(attendance_command(post, "도움말", "UKOREAN01"))
    assert "출근 고객사 고객사명" in text and "PLACE" not in text
    text = ephemeral_text(post.command("도움말", "UKOREAN01"))
    assert "등록 [제목]" in text and "에스컬레이션 INC-12 [사유]" in text and "@이름|나" in text
    for english in ("[title]", "@person", "[reason]", "[resolution]", "words", "상향"):
        assert english not in text
