"""deploy/backup.sh then deploy/restore.sh into a fresh PostgreSQL database: the data is there."""

import subprocess
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from erp.people.models import Department
from tickets.models import Ticket

pytestmark = pytest.mark.postgres

ROOT = settings.BASE_DIR


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_database():
    name = f"haru_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    yield _url(name)
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_backup_restores_into_a_fresh_database(transactional_db, fresh_database, tmp_path, settings):
    from django.contrib.auth import get_user_model

    from erp.audit.actor import Actor
    from tickets.services import ticket_create

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    user = get_user_model().objects.create_user("backup", "backup@haru.example", "pw")
    group = Department.objects.create(name="백업팀", code="backup")
    ticket = ticket_create(
        title="백업 복원 확인 장애", description="복원되어야 합니다", group=group, by=Actor(user=user)
    )
    from django.core.files.storage import default_storage

    stored = default_storage.save("tickets/restore-check.txt", ContentFile("첨부 파일".encode()))

    backup = subprocess.run(
        [
            "bash",
            str(ROOT / "deploy/backup.sh"),
            _url(connection.settings_dict["NAME"]),
            str(media),
            str(tmp_path / "out"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    dump, media_tar = backup.stdout.split()
    restored_media = tmp_path / "restored-media"
    subprocess.run(
        ["bash", str(ROOT / "deploy/restore.sh"), fresh_database, dump, media_tar, str(restored_media)],
        check=True,
        capture_output=True,
        text=True,
    )
    with psycopg.connect(fresh_database) as restored:
        row = restored.execute("SELECT number, title FROM tickets_ticket WHERE id = %s", (ticket.pk,)).fetchone()
        migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert row == (ticket.number, "백업 복원 확인 장애")
    assert migrations > 10
    assert (restored_media / stored).read_text(encoding="utf-8") == "첨부 파일"
    assert Ticket.objects.filter(pk=ticket.pk).exists()
