"""The replay guard's table is UNLOGGED on PostgreSQL: its insert then costs no WAL flush.

Every signed command and button pays one insert into it; a logged insert commits with an
fsync of the WAL (about 1–6 ms here, more than a whole login page), an unlogged one does not.
What an unlogged table gives up is its rows after a database crash (PostgreSQL truncates it on
recovery): a request signed in the five minutes before a crash could then be replayed once.
The rows are worthless after five minutes anyway, so that window is the whole price.
"""

from django.db import migrations


def _alter(persistence: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite has no WAL flush per table to save
        table = apps.get_model("slack_inbound", "SlackRequestNonce")._meta.db_table
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET {persistence}")

    return run


class Migration(migrations.Migration):
    dependencies = [("slack_inbound", "0004_request_nonce")]

    operations = [migrations.RunPython(_alter("UNLOGGED"), _alter("LOGGED"))]
