"""Attachments are stored under random names (security review H1).

Before, a file kept its uploader's name (``tickets/2026/12/payslip.txt``): guessable, and
served anonymously wherever ``/media/`` was mounted. Existing files are moved to a random
name here; the name people see stays in ``original_name``. A file missing on disk is left
as it is (its row still downloads as "missing", exactly as before).
"""

import re

from django.db import migrations, models

import tickets.models

RANDOM_NAME = re.compile(r"^tickets/[0-9a-f]{32}(\.[a-z0-9]{1,9})?$")


def rename_files(apps, schema_editor):
    Attachment = apps.get_model("tickets", "Attachment")
    for attachment in Attachment.objects.exclude(file="").iterator():
        old, storage = attachment.file.name, attachment.file.storage
        if RANDOM_NAME.match(old) or not storage.exists(old):
            continue
        with storage.open(old, "rb") as source:
            new = storage.save(tickets.models.attachment_upload_to(attachment, old), source)
        Attachment.objects.filter(pk=attachment.pk).update(file=new)
        storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0008_ticket_watchers")]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(max_length=255, upload_to=tickets.models.attachment_upload_to, verbose_name="file"),
        ),
        migrations.RunPython(rename_files, migrations.RunPython.noop, elidable=True),
    ]
