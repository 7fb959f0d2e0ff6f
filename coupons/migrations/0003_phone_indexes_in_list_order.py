"""The phone and last-four indexes end with id, like the send-log list's order (-sent_at, -id)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("coupons", "0002_search_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="sendlog", name="coupons_sendlog_phone"),
        migrations.RemoveIndex(model_name="sendlog", name="coupons_sendlog_last4"),
        migrations.AddIndex(
            model_name="sendlog",
            index=models.Index(fields=["phone", "-sent_at", "-id"], name="coupons_sendlog_phone"),
        ),
        migrations.AddIndex(
            model_name="sendlog",
            index=models.Index(fields=["phone_last4", "-sent_at", "-id"], name="coupons_sendlog_last4"),
        ),
    ]
