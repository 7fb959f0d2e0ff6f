import socket
import threading

import pytest

from erp.core.health import check_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers: a hung broker."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ops", password="x", is_staff=True))
    return client


def test_anonymous_callers_learn_only_ok_or_degraded(client, settings):
    assert client.get("/healthz").json() == {"status": "ok"}
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "degraded"}


def test_healthz_reports_database_and_broker(staff):
    client = staff
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_reports_a_refusing_broker(staff, settings):
    client = staff
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert "Connection" in body["broker"]["error"]


def test_healthz_does_not_hang_on_a_silent_broker(staff, settings, silent_server):
    client = staff
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "Timeout" in response.json()["broker"]["error"]


def test_broker_password_is_not_shown():
    result = check_broker(f"redis://:s3cret@127.0.0.1:{closed_port()}/0", {})
    assert "s3cret" not in result["url"]
    assert result["ok"] is False


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
