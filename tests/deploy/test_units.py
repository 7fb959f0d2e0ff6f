"""deploy/: every unit restarts forever and starts a command that exists; nginx keeps Slack's 3 s."""

import configparser
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_every_unit_restarts_always_and_reads_the_env_file(path):
    service = _unit(path)["Service"]
    assert service["Restart"] == "always"
    assert service["EnvironmentFile"] == "/etc/haru/haru.env"
    command = service["ExecStart"]
    if "manage.py" in command:
        name = command.split("manage.py", 1)[1].split()[0]
        assert name in get_commands(), f"{path.name} runs an unknown command {name}"
    if "gunicorn" in command:
        assert "deploy/gunicorn.conf.py" in command and (DEPLOY / "gunicorn.conf.py").exists()


def test_units_cover_every_process_of_the_procfile():
    commands = " ".join(_unit(path)["Service"]["ExecStart"] for path in UNITS)
    for needed in (
        "gunicorn",
        "worker -Q slack,default",
        "worker -Q imports,sync,reports",
        " beat ",
        "slack_socket",
        "alerts_smtp",
    ):
        assert needed in commands


def test_nginx_answers_slack_within_three_seconds_and_limits_bodies():
    conf = (DEPLOY / "nginx/haru.conf").read_text()
    slack = conf[conf.index("location /slack/") :].split("}", 1)[0]
    read = re.search(r"proxy_read_timeout (\d+)(ms|s)", slack)
    seconds = int(read.group(1)) / (1000 if read.group(2) == "ms" else 1)
    assert seconds < 3
    assert "proxy_next_upstream off" in slack  # never replay a command on another node
    assert "client_max_body_size" in conf and "ssl_certificate" in conf
    assert "location /static/" in conf and "location /media/" not in conf  # uploads through the app


def test_env_template_names_only_settings_that_exist():
    names = [
        line.split("=", 1)[0]
        for line in (DEPLOY / "haru.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    base = (Path(settings.BASE_DIR) / "erp/settings/base.py").read_text()
    production = (Path(settings.BASE_DIR) / "erp/settings/production.py").read_text()
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text()
    external = {"DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR", "LOG_FORMAT", "HARU_VAR_DIR"}
    for name in names:
        assert name in external or f'"{name}"' in base + production + gunicorn, name


def _consumed_queues(commands: list[str]) -> set[str]:
    queues = set()
    for command in commands:
        if " worker" in command:
            match = re.search(r"-Q\s+(\S+)", command)
            queues.update(match.group(1).split(",") if match else ["default"])  # no -Q: only the default queue
    return queues


def test_workers_consume_every_queue_tasks_are_routed_to():
    """A queue nobody consumes strands its tasks silently (the inquiry bench's worker without -Q
    never delivered a Slack card): the Procfile and the units each cover every queue."""
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert routed <= set(settings.HARU_QUEUES)
    procfile = [
        line.split(":", 1)[1] for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines() if ":" in line
    ]
    units = [_unit(path)["Service"]["ExecStart"] for path in UNITS]
    assert _consumed_queues(procfile) == set(settings.HARU_QUEUES)
    assert _consumed_queues(units) == set(settings.HARU_QUEUES)


def test_workers_yield_the_cpu_to_the_web_server():
    """On a shared host a delivery burst must not starve the requests (webhooks, Slack's 3 s)."""
    workers = [path for path in UNITS if "worker" in path.name]
    assert workers and all(_unit(path)["Service"]["Nice"] == "10" for path in workers)
    procfile = (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines()
    assert all("nice -n 10 celery" in line for line in procfile if " worker " in line)
