"""Webhook receipts: idempotency keys of webhook deliveries and the answers they got."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_postgres_extensions"),
    ]

    operations = [
        migrations.CreateModel(
            name="WebhookReceipt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=64, verbose_name="webhook source")),
                ("principal", models.CharField(blank=True, max_length=64, verbose_name="sender")),
                ("key", models.CharField(max_length=200, verbose_name="idempotency key")),
                ("body_sha256", models.CharField(max_length=64, verbose_name="body SHA-256")),
                (
                    "state",
                    models.CharField(
                        choices=[("processing", "Processing"), ("done", "Done")],
                        default="processing",
                        max_length=12,
                        verbose_name="state",
                    ),
                ),
                ("claim", models.UUIDField(verbose_name="claim")),
                (
                    "claimed_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="claimed at"),
                ),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                ("status_code", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="answer status")),
                ("content_type", models.CharField(blank=True, max_length=100, verbose_name="answer content type")),
                ("response_body", models.TextField(blank=True, verbose_name="answer body")),
                ("duplicates", models.PositiveIntegerField(default=0, verbose_name="repeated deliveries")),
            ],
            options={
                "verbose_name": "webhook receipt",
                "verbose_name_plural": "webhook receipts",
                "ordering": ["-claimed_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("source", "principal", "key"), name="core_webhook_receipt_once")
                ],
            },
        ),
    ]
