"""System checks for the database the portal runs on.

pg_trgm classifies characters through the database's LC_CTYPE; under C/POSIX it treats
Hangul as non-word characters and extracts no trigrams at all, so every Korean search
index silently stays empty. We refuse to run on such a database instead.
"""

from django.core.checks import Error, Tags, register
from django.db import connections

BAD_CTYPES = {"C", "POSIX"}


def ctype_problem(ctype: str | None, hangul_trigrams: int | None) -> str | None:
    """Why a database with this LC_CTYPE cannot search Korean, or None when it can."""
    if ctype is not None and ctype.upper() in BAD_CTYPES:
        return f"LC_CTYPE is {ctype!r}"
    if hangul_trigrams == 0:
        return f"pg_trgm extracts no trigrams from Hangul under LC_CTYPE {ctype!r}"
    return None


def inspect_database(connection) -> tuple[str | None, int | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return ctype, None
        cursor.execute("SELECT cardinality(show_trgm(%s))", ["장애 발생"])
        return ctype, cursor.fetchone()[0]


@register(Tags.database)
def check_database_ctype(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        problem = ctype_problem(*inspect_database(connection))
        if problem:
            errors.append(
                Error(
                    f"Database '{alias}' cannot index Korean text: {problem}.",
                    hint=(
                        "Create the database with a UTF-8 locale, e.g. "
                        "CREATE DATABASE haru TEMPLATE template0 ENCODING 'UTF8' "
                        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'."
                    ),
                    id="core.E001",
                )
            )
    return errors
