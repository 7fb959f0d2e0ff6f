"""Background work of the coupon module: big imports (the phones' anonymisation is a retention policy: retention.py)."""

from celery import shared_task

from .models import ImportRun, ImportStatus


@shared_task(name="coupons.import_uploaded", ignore_result=True)
def import_uploaded(run_id: int) -> None:
    """Import an uploaded file whose mapping was confirmed; a run already started is left alone
    (a redelivered task must not import twice)."""
    from .importing.run import import_file

    run = ImportRun.objects.filter(pk=run_id, status=ImportStatus.UPLOADED).first()
    if run is None or not run.upload:
        return
    with run.upload.open("rb") as stream:
        import_file(run, stream, client=run.default_client)
    run.upload.delete(save=False)  # the file holds phone numbers: not kept after the import
    ImportRun.objects.filter(pk=run.pk).update(upload="")
