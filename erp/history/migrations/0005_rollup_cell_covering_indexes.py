"""RollupCell's report indexes carry the sums' columns (INCLUDE, PostgreSQL): the home page's
all-time backlog sums became index-only scans (40 ms → 15-22 ms each at 1,000,000 tickets).
SQLite builds them without the included columns."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("history", "0004_team_brief_replaces_every_morning_post")]

    operations = [
        migrations.RemoveIndex(model_name="rollupcell", name="history_rollup_scope_day"),
        migrations.AddIndex(
            model_name="rollupcell",
            index=models.Index(
                fields=["rollup", "metric", "scope", "day"], include=("total", "n"), name="history_rollup_scope_day"
            ),
        ),
        migrations.AddIndex(
            model_name="rollupcell",
            index=models.Index(
                fields=["rollup", "metric", "day"], include=("scope", "total", "n"), name="history_rollup_day"
            ),
        ),
    ]
