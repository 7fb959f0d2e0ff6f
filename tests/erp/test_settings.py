"""Settings switch by environment: each case loads the settings in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "debug": settings.DEBUG,
    "acks_late": settings.CELERY_TASK_ACKS_LATE,
    "reject_on_worker_lost": settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    "prefetch": settings.CELERY_WORKER_PREFETCH_MULTIPLIER,
    "slack_base": settings.SLACK_API_BASE_URL,
}))
"""


def load_settings(tmp_path, module="erp.settings.base", **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "SLACK_", "DJANGO_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": module, "HARU_VAR_DIR": str(tmp_path / "var"), **env})
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_server(tmp_path):
    loaded = load_settings(tmp_path)
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"].startswith(str(tmp_path / "var"))
    assert loaded["broker"] == "filesystem://"
    assert (tmp_path / "var" / "celery-broker" / "queue").is_dir()
    assert loaded["cache"].endswith("FileBasedCache")  # shared by web, worker and beat


def test_database_url_and_redis_url_switch_to_servers(tmp_path):
    loaded = load_settings(
        tmp_path,
        DATABASE_URL="postgres://haru:secret@db.internal:5432/haru",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["name"] == "haru"
    assert loaded["broker"] == "redis://cache.internal:6379/0"
    assert loaded["cache"].endswith("RedisCache")


def test_korean_first_seoul_time_and_durable_celery(tmp_path):
    loaded = load_settings(tmp_path)
    assert loaded["tz"] == "Asia/Seoul"
    assert loaded["lang"] == "ko"
    assert loaded["languages"] == ["ko", "en"]
    assert (loaded["acks_late"], loaded["reject_on_worker_lost"], loaded["prefetch"]) == (True, True, 1)


def test_slack_base_url_comes_from_env(tmp_path):
    loaded = load_settings(tmp_path, SLACK_API_BASE_URL="http://127.0.0.1:8765/api/")
    assert loaded["slack_base"] == "http://127.0.0.1:8765/api/"


def test_production_mode_refuses_to_start_without_secret(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as failure:
        load_settings(tmp_path, module="erp.settings.production", DJANGO_ALLOWED_HOSTS="erp.example.com")
    assert "DJANGO_SECRET_KEY" in failure.value.stderr


def test_production_mode_passes_check_deploy(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="erp.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "-production-key-for-the-check-only-0123456789",
        DJANGO_ALLOWED_HOSTS="erp.example.com",
        HARU_VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
