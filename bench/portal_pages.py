"""Benchmark: the portal's main pages per role, server time and bytes (issue 16).

    .venv/bin/python bench/portal_pages.py [--runs 20] [--root /work/main]

On a throwaway SQLite database with part of the demo data (the people, the company calendar
and ``--tickets`` demo tickets; the full seed_demo takes minutes), in-process through
Django's test client (full middleware and templates, no network), per page and role:

- p50 / p95 server time over ``--runs`` requests (after one warm-up request);
- the HTML size, and the first-load assets (stylesheets, scripts, preloaded fonts the page
  links) uncompressed and gzipped: no page may load more than 300 KB uncompressed.

``--root`` measures another checkout (e.g. the main branch, for before/after figures) with
this script. The database is built once per checkout under var/bench/ (migrating and seeding
take a few minutes on a busy machine; ``--reload`` rebuilds it); the measuring itself takes
seconds. Prints its figures; asserts only the 300 KB first-load budget.
"""

import argparse
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAGES = [
    ("yejun.yoon", "/"),
    ("yejun.yoon", "/tickets/"),
    ("yejun.yoon", "/attendance/"),
    ("seoyeon.lee", "/"),
    ("seoyeon.lee", "/tickets/"),
    ("seoyeon.lee", "/tickets/?view=all&sort=due"),
    ("seoyeon.lee", "/tickets/?q=%EC%9E%A5%EC%95%A0"),  # 장애
    ("seoyeon.lee", "TICKET"),
    ("hayoon.jung", "/attendance/team/"),
    ("admin", "/"),
]
ASSET = re.compile(r'<(?:link|script)\b[^>]*\b(?:href|src)="(/static/[^"?#]+)"')
BUDGET = 300 * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tickets", type=int, default=150)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    args = parser.parse_args()
    root = Path(args.root).resolve()
    here = Path(__file__).resolve().parent.parent
    database = here / "var/bench" / f"portal-{root.name}.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    if args.reload and database.exists():
        database.unlink()
    fresh = not database.exists()
    workdir = tempfile.mkdtemp(prefix="haru-bench-portal-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="erp.settings.base",
        DATABASE_URL=f"sqlite:///{database}",
        HARU_VAR_DIR=workdir,
        DJANGO_DEBUG="false",
    )
    os.chdir(root)
    sys.path.insert(0, str(root))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from tickets.models import Ticket

    if fresh:
        from django.utils import timezone

        import erp.people.demo
        import tickets.demo

        call_command("migrate", verbosity=0)
        now = timezone.now()
        erp.people.demo.seed(sys.stdout, now=now)
        tickets.demo.seed(sys.stdout, now=now, count=args.tickets)

    ticket_url = Ticket.objects.order_by("-id").first().get_absolute_url()
    users = get_user_model().objects
    static_root = root / "static"
    print(f"tree {root}  runs {args.runs}")
    print(f"{'user':12} {'page':34} {'p50 ms':>7} {'p95 ms':>7} {'HTML KB':>8} {'assets KB':>9} {'gzip KB':>8}")
    over = []
    for username, url in PAGES:
        url = ticket_url if url == "TICKET" else url
        client = Client()
        client.force_login(users.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        html = response.content
        assets = sorted(set(ASSET.findall(html.decode())))
        raw = gz = 0
        for asset in assets:
            path = static_root / asset.removeprefix(settings.STATIC_URL)
            if not path.exists():  # an app's static dir (admin, drf-spectacular-sidecar)
                continue
            data = path.read_bytes()
            raw += len(data)
            gz += len(gzip.compress(data))
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
        print(
            f"{username:12} {url[:34]:34} {statistics.median(times):7.1f} {p95:7.1f} "
            f"{len(html) / 1024:8.1f} {raw / 1024:9.1f} {gz / 1024:8.1f}"
        )
        if raw > BUDGET:
            over.append((url, raw))
    if over:
        sys.exit(f"first-load assets over 300 KB: {over}")


if __name__ == "__main__":
    main()
