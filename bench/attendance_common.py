"""Shared set-up for the attendance benchmarks: a dedicated PostgreSQL database, Django
configured against it, bench employees and devices, and a gunicorn server on 127.0.0.1.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/haru_bench_att);
the database is created UTF-8 from template0 when missing.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "haru_bench_att"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
EMPLOYEES = 200
DEVICES = 4
VAR_DIR = Path(tempfile.gettempdir()) / "haru-bench-att"


def server_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "erp.settings.base",
        "DJANGO_DEBUG": "false",
        "HARU_VAR_DIR": str(VAR_DIR),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        # No collectstatic in a bench run: whitenoise's "no STATIC_ROOT" warning is noise here.
        "PYTHONWARNINGS": "ignore::UserWarning",
    }


def ensure_database() -> None:
    import psycopg

    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )


def setup_django():
    """Configure Django in this process against the bench database and migrate it."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(server_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reset_attendance_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE attendance_punch, attendance_punchbatch, attendance_workday, attendance_weeklyalert,"
            " attendance_correction, attendance_deviceidentifier RESTART IDENTITY CASCADE"
        )
        cursor.execute("DELETE FROM audit_auditevent WHERE content_type_id IN "
                       "(SELECT id FROM django_content_type WHERE app_label = 'attendance')")  # fmt: skip


def bench_people():
    """200 employees in one department under one manager (idempotent); returns (manager, employees)."""
    from django.contrib.auth import get_user_model

    from erp.people.models import Department, Employee, Role

    User = get_user_model()
    department, _ = Department.objects.get_or_create(code="bench", defaults={"name": "벤치마크팀"})
    manager_user, _ = User.objects.get_or_create(username="bench.manager")
    manager, _ = Employee.objects.get_or_create(
        user=manager_user,
        defaults={"display_name": "벤치 팀장", "department": department, "role": Role.MANAGER, "employee_no": "BM0001"},
    )
    existing = set(Employee.objects.filter(employee_no__startswith="B0").values_list("employee_no", flat=True))
    missing = [i for i in range(1, EMPLOYEES + 1) if f"B{i:05d}" not in existing]
    if missing:
        users = User.objects.bulk_create([User(username=f"bench.{i:05d}") for i in missing])
        Employee.objects.bulk_create(
            [
                Employee(
                    user=user,
                    display_name=f"직원{i:05d}",
                    department=department,
                    employee_no=f"B{i:05d}",
                    manager=manager,
                )
                for user, i in zip(users, missing, strict=True)
            ]
        )
    employees = list(Employee.objects.filter(employee_no__startswith="B0").order_by("employee_no"))
    return manager, employees


def bench_devices() -> list[tuple[object, str]]:
    """DEVICES readers, each with a fresh token: [(device, token)]."""
    from attendance.models import Device
    from attendance.services import device_issue_token
    from erp.audit.actor import Actor

    result = []
    for index in range(1, DEVICES + 1):
        device, _ = Device.objects.get_or_create(code=f"bench-{index}", defaults={"name": f"벤치 리더 {index}"})
        result.append((device, device_issue_token(device=device, by=Actor.system(job="bench"))))
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port; fails loudly if the port is taken (never bench someone else's server)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is already in use")
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "erp.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=server_env(),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def login_cookie(user) -> str:
    """A session cookie for ``user`` (created in the database the server reads)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
