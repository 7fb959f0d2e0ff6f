"""The LC_CTYPE check: pg_trgm extracts nothing from Hangul under a C/POSIX ctype."""

import uuid

import pytest
from django.conf import settings
from django.db import connection

from erp.core.checks import check_database_ctype, ctype_problem, inspect_database


@pytest.mark.parametrize(
    "ctype, trigrams, refused",
    [("C", 5, True), ("POSIX", None, True), ("C.UTF-8", 6, False), ("ko_KR.UTF-8", 6, False), ("en_US.UTF-8", 0, True)],
)
def test_ctype_problem(ctype, trigrams, refused):
    assert (ctype_problem(ctype, trigrams) is not None) is refused


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_suite_database_passes_the_check():
    assert check_database_ctype(databases=["default"]) == []
    ctype, trigrams = inspect_database(connection)
    assert ctype.upper() not in {"C", "POSIX"}
    assert trigrams > 0


@pytest.mark.postgres
def test_a_c_locale_database_is_refused():
    import psycopg

    db = settings.DATABASES["default"]
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    name = f"haru_ctype_probe_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        with psycopg.connect(dbname=name, autocommit=True, **params) as probe:
            probe.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            ctype, trigrams = inspect_database(probe)
        assert ctype == "C"
        assert "LC_CTYPE is 'C'" in ctype_problem(ctype, trigrams)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
