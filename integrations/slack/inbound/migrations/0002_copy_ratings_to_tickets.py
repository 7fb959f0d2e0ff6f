"""Copy the stop-gap Slack satisfaction ratings into tickets.SatisfactionRating.

Ratings are ticket data: tickets 0004 created their new home; 0003 of this app drops the
old table. Kept as its own migration (own transaction on PostgreSQL) so the row copy and
the DROP TABLE never share one. On a fresh database there is nothing to copy.
"""

from django.db import migrations

BATCH = 2000


def _keep_timestamps(model):
    """Let the copy keep each rating's original moments.

    bulk_create runs pre_save, so auto_now / auto_now_add would stamp every copied row with
    the migration's time and move old ratings into today's digest. The model here is this
    migration's historical class, so switching the flags off touches nothing else.
    """
    for name in ("created_at", "updated_at"):
        field = model._meta.get_field(name)
        field.auto_now = field.auto_now_add = False
    return model


def copy_forward(apps, schema_editor):
    old = apps.get_model("slack_inbound", "SatisfactionRating")
    new = _keep_timestamps(apps.get_model("tickets", "SatisfactionRating"))
    rows = old.objects.using(schema_editor.connection.alias).order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(
            new(
                ticket_id=row.ticket_id,
                rater_id=row.rated_by_id,
                score=row.score,
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
        )
        if len(batch) >= BATCH:
            new.objects.using(schema_editor.connection.alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        # ignore_conflicts: a re-run after a partial copy stays harmless (one rating per ticket and rater).
        new.objects.using(schema_editor.connection.alias).bulk_create(batch, ignore_conflicts=True)


def copy_backward(apps, schema_editor):
    old = _keep_timestamps(apps.get_model("slack_inbound", "SatisfactionRating"))
    new = apps.get_model("tickets", "SatisfactionRating")
    rows = new.objects.using(schema_editor.connection.alias).order_by("pk")
    old.objects.using(schema_editor.connection.alias).bulk_create(
        (
            old(
                ticket_id=row.ticket_id,
                rated_by_id=row.rater_id,
                score=row.score,
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row in rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("slack_inbound", "0001_initial"),
        ("tickets", "0004_satisfaction_rating"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_backward)]
