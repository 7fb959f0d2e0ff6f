"""Actor.for_request and error_text: the two helpers every view and admin shares."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.errors import ConflictError, error_text
from tests.factories import make_employee


@pytest.mark.django_db
@pytest.mark.parametrize("source", [Source.WEB, Source.ADMIN, Source.API])
def test_actor_for_request_is_the_signed_in_user_through_the_source(rf, source):
    employee = make_employee("kim")
    request = rf.post("/")
    request.user = employee.user
    actor = Actor.for_request(request, source=source)
    assert (actor.user, actor.source, actor.context) == (employee.user, source, {})
    assert actor.label == "kim"


def test_an_anonymous_request_never_becomes_the_system(rf):
    request = rf.post("/")
    request.user = AnonymousUser()
    actor = Actor.for_request(request, source=Source.WEB)
    # A user-less Actor is the system (trusted further than people): an anonymous caller must
    # stay an anonymous user, which every permission check refuses.
    assert actor.user is request.user and actor != Actor.system()


def test_the_source_must_be_named(rf):
    with pytest.raises(TypeError):
        Actor.for_request(rf.get("/"))


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (ValidationError("시작일이 종료일보다 늦습니다."), "시작일이 종료일보다 늦습니다."),
        (ValidationError(["첫째.", "둘째."]), "첫째. 둘째."),
        (
            ValidationError({"date": ["날짜가 없습니다."], "reason": ["사유를 적어 주세요."]}),
            "날짜가 없습니다. 사유를 적어 주세요.",
        ),
        (ValidationError("%(n)d건 초과", params={"n": 3}), "3건 초과"),
        (PermissionDenied("권한이 없습니다."), "권한이 없습니다."),
        (PermissionDenied(), ""),
        (ConflictError("이미 출근했습니다."), "이미 출근했습니다."),
    ],
)
def test_error_text_is_one_line(error, text):
    assert error_text(error) == text
