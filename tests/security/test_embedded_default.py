"""H1 on the real embedded default (`make run`'s runserver): debug off, static served, /media/ not."""

import pytest

from .embedded import embedded_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("embedded") / "var"
    (var_dir / "media" / "tickets" / "2026" / "12").mkdir(parents=True)
    (var_dir / "media" / "tickets" / "2026" / "12" / "payslip.txt").write_text("SALARY")
    with embedded_server(var_dir) as running:
        yield running


def test_static_files_are_served_with_debug_off(server):
    status, headers, body = server.get("/static/css/haru.css")
    assert status == 200 and b".topbar" in body


def test_uploads_are_not_served(server):
    status, _, body = server.get("/media/tickets/2026/12/payslip.txt")
    assert status == 404 and b"SALARY" not in body


@pytest.mark.parametrize("language, heading", [("ko", "페이지를 찾을 수 없습니다"), ("en", "Page not found")])
def test_not_found_is_the_branded_page_in_the_visitors_language(server, language, heading):
    status, _, body = server.get("/no/such/page/", headers={"Accept-Language": language})
    text = body.decode()
    assert status == 404 and heading in text and "haru.css" in text
    assert "Traceback" not in text and "urlpatterns" not in text and "DEBUG" not in text


def test_a_bad_host_gets_the_branded_400(server):
    status, _, body = server.get("/", headers={"Host": "evil.example"})
    assert status == 400 and b"error-page" in body and b"DisallowedHost" not in body
