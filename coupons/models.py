"""Coupon send logs (KT Giftishow Biz): who the coupons are sent for, what was sent, where it stands.

* ``Client`` is a company the coupons are sent for; its ``department`` is the team whose Slack
  channel gets the client's daily summary.
* ``Campaign`` is a client's event; ``Goods`` a Giftishow product (``goodsCode``).
* ``SendLog`` is one coupon send, keyed by ``tr_id`` (our Giftishow transaction id, unique:
  every import and every send is idempotent on it). The recipient's phone is stored as digits
  (``phone``) with its last four (``phone_last4``) so both searches use an index, and shown only
  masked (``masked_phone``); retention blanks both and sets ``anonymised_at``.
* ``SendBatch`` / ``SendItem``: a campaign send through the API (0204), resumable item by item.
* ``ImportRun``: one file or API import with its counts and per-row errors.
* ``BizmoneySnapshot``: the Giftishow prepaid balance (0301) as last polled.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .phones import mask_phone

# Giftishow codes meaning "the send worked": 0000 is the API's success code (0204's result),
# 1000 the MMS delivery result (sendRstCd) in 0201 answers and the admin export.
SUCCESS_CODES = frozenset({"0000", "1000"})


class PinStatus(models.TextChoices):
    """The ERP's reading of Giftishow's pinStatusCd (01–24), see PIN_STATUS_BY_CODE."""

    ISSUED = "issued", _("Issued (unused)")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    VOIDED = "voided", _("Voided")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Not known yet")


PIN_STATUS_BY_CODE = {
    "01": PinStatus.ISSUED,
    "02": PinStatus.USED,
    "07": PinStatus.CANCELLED,
    "08": PinStatus.EXPIRED,
    "11": PinStatus.EXPIRED,
    "03": PinStatus.VOIDED,
    "04": PinStatus.VOIDED,
    "05": PinStatus.VOIDED,
}
# Statuses that never change again: polling (0201) skips them.
FINAL_PIN_STATUSES = (PinStatus.USED, PinStatus.EXPIRED, PinStatus.CANCELLED, PinStatus.VOIDED)


def pin_status_for(code: str) -> str:
    """The PinStatus of a pinStatusCd ("" when there is none yet)."""
    if not code:
        return PinStatus.UNKNOWN
    return PIN_STATUS_BY_CODE.get(code.zfill(2), PinStatus.OTHER)


class Client(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coupon_clients",
        help_text=_("The team whose Slack channel gets this client's daily coupon summary."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("coupon client")
        verbose_name_plural = _("coupon clients")

    def __str__(self):
        return self.name


class Campaign(models.Model):
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=150)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    mms_title = models.CharField(_("MMS title"), max_length=10, blank=True)
    mms_message = models.TextField(_("MMS message"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["client__name", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [models.UniqueConstraint(fields=["client", "name"], name="coupons_campaign_client_name")]

    def __str__(self):
        return f"{self.client} · {self.name}"


class Goods(models.Model):
    code = models.CharField(_("goods code"), max_length=20, unique=True, help_text=_("e.g. G00000182305"))
    name = models.CharField(_("name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    sell_price = models.PositiveIntegerField(_("sell price (KRW)"), default=0)
    consumer_price = models.PositiveIntegerField(_("consumer price (KRW)"), default=0)

    class Meta:
        ordering = ["brand", "name"]
        verbose_name = _("goods")
        verbose_name_plural = _("goods")

    def __str__(self):
        return f"{self.brand} {self.name}".strip()


class SendBatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    PAUSED = "paused", _("Paused (bizmoney insufficient)")
    DONE = "done", _("Done")


class SendBatch(models.Model):
    """One campaign send through the Giftishow API: items are sent one by one, each with its own
    tr_id fixed before the first attempt, so a batch that stops (worker restart, E0010) resumes
    where it was without sending any coupon twice."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="batches")
    goods = models.ForeignKey(Goods, verbose_name=_("goods"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=SendBatchStatus.choices, default=SendBatchStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("send batch")
        verbose_name_plural = _("send batches")

    def __str__(self):
        return f"#{self.pk} {self.campaign}"


class SendItem(models.Model):
    batch = models.ForeignKey(SendBatch, on_delete=models.CASCADE, related_name="items")
    tr_id = models.CharField(_("transaction id"), max_length=20, unique=True)
    phone = models.CharField(_("phone"), max_length=11)
    sent = models.BooleanField(_("attempted"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("send item")
        verbose_name_plural = _("send items")

    def __str__(self):
        return self.tr_id

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class SendLog(models.Model):
    tr_id = models.CharField(_("transaction id"), max_length=40, unique=True)
    # Foreign keys without their own index: the composite indexes below lead with client and
    # campaign, and goods / batch rows are hardly ever deleted (PROTECT / SET_NULL then scan once).
    # Every index costs the million-row import its share of the upsert.
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="sends", db_index=False
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sends",
        db_index=False,
    )
    goods = models.ForeignKey(
        Goods,
        verbose_name=_("goods"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sends",
        db_index=False,
    )
    # Digits only (01012345678); blank once anonymised. Never rendered as is: see masked_phone.
    phone = models.CharField(_("recipient phone"), max_length=11, blank=True)
    phone_last4 = models.CharField(_("phone last four"), max_length=4, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    result_code = models.CharField(_("result code"), max_length=10, blank=True)
    result_message = models.CharField(_("result message"), max_length=200, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    delivered = models.BooleanField(_("MMS delivered"), default=False)
    order_no = models.CharField(_("order number"), max_length=40, blank=True)
    pin_status_code = models.CharField(_("PIN status code"), max_length=2, blank=True)
    pin_status = models.CharField(_("PIN status"), max_length=10, choices=PinStatus.choices, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    sell_price = models.PositiveIntegerField(_("sell price (KRW)"), default=0)
    consumer_price = models.PositiveIntegerField(_("consumer price (KRW)"), default=0)
    status_checked_at = models.DateTimeField(_("status checked"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    batch = models.ForeignKey(
        SendBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="sends", db_index=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("coupon send")
        verbose_name_plural = _("coupon sends")
        permissions = [
            ("reveal_phone", _("Can see full recipient phone numbers (audited)")),
            ("import_sendlog", _("Can import coupon send logs")),
            ("manage_coupons", _("Administers the coupon module")),
        ]
        indexes = [
            models.Index(fields=["sent_at"], name="coupons_sendlog_sent_at"),
            # The coupon rollup's change feed (imports and status polls stamp it when a row changes):
            # without it every fold scanned the whole send log, ~2 s at 5,000,000 sends.
            models.Index(fields=["updated_at"], name="coupons_sendlog_updated"),
            # Phone search: newest first within one number or one last-four, in the list's exact
            # order (sent_at, id), so its first page reads 51 index entries and sorts nothing.
            models.Index(fields=["phone", "-sent_at", "-id"], name="coupons_sendlog_phone"),
            models.Index(fields=["phone_last4", "-sent_at", "-id"], name="coupons_sendlog_last4"),
            models.Index(fields=["order_no"], name="coupons_sendlog_order_no"),
            models.Index(fields=["campaign", "sent_at"], name="coupons_sendlog_campaign"),
            models.Index(fields=["client", "sent_at"], name="coupons_sendlog_client"),
            # Status polling walks the coupons that can still change.
            models.Index(
                fields=["status_checked_at"],
                name="coupons_sendlog_open",
                condition=Q(succeeded=True) & Q(pin_status__in=["", "issued", "other"]),
            ),
        ]

    def __str__(self):
        return self.tr_id

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def cost(self) -> int:
        """What the send cost in bizmoney: the sell price, for sends that issued a coupon."""
        return self.sell_price if self.succeeded else 0


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for column mapping")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class ImportRun(models.Model):
    """One import (a file from the web or the command, or an API batch): what came in, what it did."""

    SOURCES = [("web", _("Web upload")), ("command", _("Command")), ("api", _("API")), ("admin", _("Admin"))]

    source = models.CharField(_("source"), max_length=10, choices=SOURCES)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    upload = models.FileField(_("uploaded file"), upload_to="coupon-imports/", blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    default_client = models.CharField(_("client for rows without one"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    inserted = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"row": 7, "column": "phone", "reason": "…"}], the first MAX_STORED_ERRORS of them.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("coupon import")
        verbose_name_plural = _("coupon imports")

    def __str__(self):
        return self.filename or f"#{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.REFUSED) else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class BizmoneySnapshot(models.Model):
    balance = models.BigIntegerField(_("balance (KRW)"))
    checked_at = models.DateTimeField(_("checked at"), db_index=True)

    class Meta:
        ordering = ["-checked_at"]
        get_latest_by = "checked_at"
        verbose_name = _("bizmoney balance")
        verbose_name_plural = _("bizmoney balances")

    def __str__(self):
        return f"{self.balance:,}"


class RetentionRun(models.Model):
    """One nightly anonymisation pass, shown in the admin."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    cutoff = models.DateTimeField(_("valid until before"))
    anonymised = models.PositiveIntegerField(_("phones anonymised"), default=0)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d} ({self.anonymised})"
