"""Branded 403 and 500 pages (the 404 and 400 are requested from the real server)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("DATABASE_URL=postgres://secret@db/haru")


urlpatterns = [path("forbidden/", _forbidden), path("broken/", _broken)]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    "url, status, korean", [("/forbidden/", 403, "접근 권한이 없습니다"), ("/broken/", 500, "서버 오류")]
)
def test_error_pages_are_branded_korean_first(client, url, status, korean):
    client.raise_request_exception = False
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
    body = response.content.decode()
    assert response.status_code == status and korean in body and "error-page" in body
    assert "secret" not in body and "Traceback" not in body


@override_settings(ROOT_URLCONF=__name__)
def test_error_pages_in_english(client):
    client.raise_request_exception = False
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500 and "Server error" in response.content.decode()
