"""Demo alerts (idempotent: safe to run again), laid out around ``now``:

* release feeds: nginx.org news (security only, instant) and the Node.js releases blog (LTS
  only, daily digest) with the entries those feeds really carry;
* a Google Cloud mailbox with a CPU incident that fired three times and recovered, and a
  Django error-mail group ("/tickets/42/ · ValueError") still firing;
* an Alertmanager webhook source with a DiskFull group that fired and resolved.

Items go through the same intake service as real deliveries; their received times are then
moved back into the past so the lists read like a few days of work.
"""

from datetime import timedelta

from erp.audit.actor import Actor
from erp.people.models import Department

from .models import AlertGroup, Delivery, FeedPreset, Item, ItemKind, Severity, Shape, Source, SourceKind, WebhookAuth
from .services import Incoming, alerts_receive

RELEASES = {
    "nginx.org 뉴스": [
        (
            "http://nginx.org/#2026-11-18",
            "nginx-1.31.3 mainline and nginx-1.30.4 stable versions have been released "
            "with a fix for the buffer overread vulnerability in ngx_http_mp4_module (CVE-2026-32001).",
            {
                "security": True,
                "lts": True,
                "major": False,
                "version": "1.31.3",
                "cves": ["CVE-2026-32001"],
                "matched": True,
            },
            14,
        ),
        (
            "http://nginx.org/#2026-10-21",
            "nginx-1.31.2 mainline version has been released.",
            {"security": False, "lts": False, "major": False, "version": "1.31.2", "cves": [], "matched": False},
            42,
        ),
    ],
    "Node.js 릴리스": [
        (
            "/blog/release/v24.11.1",
            "Node.js 24.11.1 (LTS)",
            {"security": False, "lts": True, "major": False, "version": "24.11.1", "cves": [], "matched": True},
            15,
        ),
        (
            "/blog/release/v25.2.0",
            "Node.js v25.2.0 (Current)",
            {"security": False, "lts": False, "major": False, "version": "25.2.0", "cves": [], "matched": False},
            22,
        ),
    ],
}


def _source(name, **fields):
    source, _created = Source.objects.get_or_create(name=name, defaults=fields)
    return source


def _receive(source, incoming, *, now, hours_ago):
    result = alerts_receive(source=source, incoming=incoming, by=Actor.system(source="demo"))
    moment = now - timedelta(hours=hours_ago)
    Item.objects.filter(pk__in=[i.pk for i in result.stored]).update(received_at=moment)
    return result


def seed(stdout, *, now):
    infra = Department.objects.filter(code="infra").first()
    dev = Department.objects.filter(code="dev").first()
    nginx = _source(
        "nginx.org 뉴스",
        kind=SourceKind.FEED,
        url="https://nginx.org/index.rss",
        preset=FeedPreset.NGINX,
        security_only=True,
        delivery=Delivery.INSTANT,
        owner_team=infra,
    )
    node = _source(
        "Node.js 릴리스",
        kind=SourceKind.FEED,
        url="https://nodejs.org/en/feed/releases.xml",
        preset=FeedPreset.NODEJS,
        lts_only=True,
        delivery=Delivery.DIGEST,
        owner_team=dev,
    )
    for source in (nginx, node):
        for guid, title, facts, days_ago in RELEASES[source.name]:
            external = guid + "#demo" if source.preset == FeedPreset.NGINX else guid
            _receive(
                source,
                [
                    Incoming(
                        external_id=external,
                        kind=ItemKind.RELEASE,
                        title=title,
                        status="",
                        severity="",
                        url=guid if guid.startswith("http") else "https://nodejs.org/en" + guid,
                        facts=facts,
                    )
                ],
                now=now,
                hours_ago=days_ago * 24,
            )
        Source.objects.filter(pk=source.pk).update(last_fetched_at=now - timedelta(minutes=12), last_status=304)

    gcp = _source(
        "Google Cloud 알림 메일",
        kind=SourceKind.MAILBOX,
        address="gcp-alerts@haru.example",
        allowed_senders="alerting-noreply@google.com",
        owner_team=infra,
    )
    cpu = "gcp:0.nq4b8x2l1k9s"
    for n, hours in enumerate((30, 29, 28)):
        _receive(
            gcp,
            [
                Incoming(
                    external_id=f"<demo-gcp-{n}@google.com>",
                    key=cpu,
                    kind=ItemKind.EMAIL,
                    title="VM CPU 90% on haru-web-1",
                    severity=Severity.CRITICAL,
                    url="https://console.cloud.google.com/monitoring/alerting/incidents/0.nq4b8x2l1k9s",
                )
            ],
            now=now,
            hours_ago=hours,
        )
    _receive(
        gcp,
        [
            Incoming(
                external_id="<demo-gcp-ok@google.com>",
                key=cpu,
                kind=ItemKind.EMAIL,
                status="resolved",
                title="VM CPU 90% on haru-web-1",
                severity=Severity.CRITICAL,
            )
        ],
        now=now,
        hours_ago=27,
    )

    django_mail = _source(
        "Django 오류 메일", kind=SourceKind.MAILBOX, address="django-errors@haru.example", owner_team=dev
    )
    for n, hours in enumerate((6, 3, 1)):
        _receive(
            django_mail,
            [
                Incoming(
                    external_id=f"<demo-django-{n}@haru.example>",
                    key="django:/tickets/42/:ValueError",
                    kind=ItemKind.EMAIL,
                    title="/tickets/42/ · ValueError",
                    severity=Severity.ERROR,
                    body="Internal Server Error: /tickets/42/\n…\nValueError: bad ticket",
                )
            ],
            now=now,
            hours_ago=hours,
        )

    prometheus = _source(
        "Prometheus Alertmanager",
        kind=SourceKind.WEBHOOK,
        shape=Shape.ALERTMANAGER,
        auth=WebhookAuth.BEARER,
        secret="demo-only-bearer-secret",
        owner_team=infra,
    )
    disk = '{}:{alertname="DiskFull"}'
    _receive(
        prometheus,
        [
            Incoming(
                external_id="demo-disk:firing", key=disk, title="web1 디스크 사용률 95%", severity=Severity.CRITICAL
            )
        ],
        now=now,
        hours_ago=50,
    )
    _receive(
        prometheus,
        [
            Incoming(
                external_id="demo-disk:resolved",
                key=disk,
                title="web1 디스크 사용률 95%",
                status="resolved",
                severity=Severity.CRITICAL,
            )
        ],
        now=now,
        hours_ago=49,
    )

    # Groups' times follow their items (the intake stamped them with the real clock).
    for group in AlertGroup.objects.filter(source__in=[gcp, django_mail, prometheus]):
        times = list(group.items.order_by("received_at").values_list("received_at", flat=True))
        if times:
            AlertGroup.objects.filter(pk=group.pk).update(
                first_seen=times[0],
                last_seen=times[-1],
                resolved_at=times[-1] if group.state == "resolved" else None,
            )
    stdout.write(
        f"alerts: {Source.objects.count()} sources, {AlertGroup.objects.count()} groups, {Item.objects.count()} items"
    )
