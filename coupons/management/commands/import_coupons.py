"""``manage.py import_coupons FILE [--client NAME] [--map tr_id=거래번호 ...]``: one import run,
listed in the import history like a web upload; prints the counts and the first errors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coupons.importing.fields import FIELD_KEYS
from coupons.importing.reading import FileRefused, open_table
from coupons.importing.run import import_file
from coupons.models import ImportRun, ImportStatus


class Command(BaseCommand):
    help = "Import a Giftishow export or a send sheet (CSV UTF-8/CP949 or XLSX) into the coupon send log."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--client", default="", help="client name for files without a client column")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER", help="map a column by hand")

    def handle(self, path, client, map, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        mapping = {}
        if map:
            with file.open("rb") as stream:
                try:
                    header = open_table(stream, file.name).header
                except FileRefused as refusal:
                    raise CommandError(str(refusal))
            for pair in map:
                field, _sep, column = pair.partition("=")
                if field not in FIELD_KEYS or column not in header:
                    raise CommandError(f"--map {pair}: unknown field or column (fields: {', '.join(FIELD_KEYS)})")
                mapping[field] = header.index(column)
        run = ImportRun.objects.create(source="command", filename=file.name, mapping=mapping)
        if mapping:
            # Hand-mapped columns complete the recognised ones.
            from coupons.importing.fields import auto_mapping

            run.mapping = {**auto_mapping(header), **mapping}
            run.save(update_fields=["mapping"])
        with file.open("rb") as stream:
            run = import_file(run, stream, client=client)
        if run.status == ImportStatus.REFUSED:
            raise CommandError(run.message)
        self.stdout.write(
            f"import #{run.pk}: {run.total_rows} rows, {run.inserted} added, {run.updated} updated, "
            f"{run.unchanged} unchanged, {run.error_count} with errors"
        )
        for error in run.errors[:20]:
            self.stdout.write(f"  row {error['row']}, {error['column']}: {error['reason']}")
