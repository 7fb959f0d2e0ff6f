"""Release feeds against a local HTTP server: conditional GET, 301, 410, timeouts, bad bodies,
de-duplication, filters and presets, instant posts and the patch ticket."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Delivery, FeedPreset, Item, Source, SourceKind
from alerts.services import release_open_patch_ticket
from alerts.shapes.releases import classify
from integrations.feeds.poll import poll_cycle
from tests.fakes.feeds import FeedServer

from . import feeds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ETAG = '"nginx-v1"'


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def subscription(server, path, team=None, **extra):
    return Source.objects.create(
        name=extra.pop("name", path), kind=SourceKind.FEED, url=server.url(path), owner_team=team, **extra
    )


def due_again(source):
    Source.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now() - timedelta(seconds=1))


def test_conditional_get_answers_304_and_nothing_is_stored_twice(server, team):
    server.route("/nginx.rss", body=feeds.nginx_rss(), etag=ETAG)
    source = subscription(server, "/nginx.rss", team["infra"], preset=FeedPreset.NGINX)
    assert poll_cycle()["new_items"] == 3  # the two events of 18 Nov share a guid: told apart by title
    due_again(source)
    counts = poll_cycle()
    assert (counts["not_modified"], counts["new_items"]) == (1, 0)
    assert server.hits_to("/nginx.rss")[-1].headers.get("If-None-Match") == ETAG
    source.refresh_from_db()
    assert (source.last_status, source.etag, source.failures) == (304, ETAG, 0)


def test_new_entries_are_added_once_and_announced(server, team, django_capture_on_commit_callbacks):
    from alerts import signals

    announced = []
    receiver = lambda sender, item, **kw: announced.append(item.title)  # noqa: E731
    signals.release_published.connect(receiver)
    try:
        server.route("/nginx.rss", body=feeds.nginx_rss(), etag=ETAG)
        source = subscription(server, "/nginx.rss", team["infra"], preset=FeedPreset.NGINX)
        poll_cycle()
        assert announced == []  # the first fetch fills the history only
        server.route("/nginx.rss", body=feeds.nginx_rss(feeds.NGINX_NEW_ITEM), etag='"nginx-v2"')
        due_again(source)
        assert poll_cycle()["new_items"] == 1
    finally:
        signals.release_published.disconnect(receiver)
    assert announced == ["nginx-1.32.0 stable version has been released."]


def test_a_permanent_redirect_updates_the_url(server):
    server.route("/nginx.rss", body=feeds.nginx_rss())
    server.route("/old.rss", status=301, location="/nginx.rss")
    source = subscription(server, "/old.rss")
    poll_cycle()
    source.refresh_from_db()
    assert source.url == server.url("/nginx.rss")
    assert source.items.count() == 2  # without the nginx preset, one guid is one item


def test_gone_disables_the_subscription(server):
    server.route("/gone.rss", status=410, body="gone", content_type="text/plain")
    source = subscription(server, "/gone.rss")
    poll_cycle()
    source.refresh_from_db()
    assert not source.is_active and "410" in source.disabled_reason


@pytest.mark.parametrize(
    "route, error_part",
    [
        ({"body": "<html><body>Not a feed</body></html>", "content_type": "text/html"}, "not"),
        (
            {
                "body": '<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</ti',
                "content_type": "application/xml",
            },
            "",
        ),
        ({"status": 503, "body": "busy"}, "503"),
        ({"body": feeds.nginx_rss(), "delay": 1.5}, "time"),
    ],
)
def test_errors_back_off_and_show_on_the_source(server, settings, route, error_part):
    settings.ALERTS_FEED_TIMEOUT_SECONDS = 0.5
    server.route("/bad.rss", **route)
    source = subscription(server, "/bad.rss", poll_minutes=30)
    poll_cycle()
    source.refresh_from_db()
    assert source.failures == 1 and source.last_error and error_part in source.last_error.lower()
    assert source.next_fetch_at - timezone.now() > timedelta(minutes=59)  # 30 min × 2
    assert source.items.count() == 0


def test_too_large_a_feed_is_refused(server, settings):
    settings.ALERTS_FEED_MAX_BYTES = 1000
    server.route("/big.rss", body=feeds.nginx_rss() + " " * 2000)
    source = subscription(server, "/big.rss")
    poll_cycle()
    source.refresh_from_db()
    assert "larger" in source.last_error


@pytest.mark.parametrize(
    "title, security, lts, major",
    [
        (
            "nginx-1.31.3 mainline and nginx-1.30.4 stable versions have been released"
            " with a fix for x (CVE-2026-32001).",
            True,
            False,
            False,
        ),
        ("nginx-1.32.0 stable version has been released.", False, True, True),
        ("nginx-1.31.2 mainline version has been released.", False, False, False),
    ],
)
def test_nginx_preset(title, security, lts, major):
    release = classify(FeedPreset.NGINX, title, "")
    assert (release.security, release.lts, release.major) == (security, lts, major)


@pytest.mark.parametrize(
    "title, text, security, lts, major",
    [
        ("Node.js 24.11.1 (LTS)", "", False, True, False),
        ("Node.js v26.0.0 (Current)", "", False, False, True),
        ("Node.js 22.13.1 (LTS)", "This is a security release. CVE-2025-23083", True, True, False),
        ("Tuesday, January 21, 2025 Security Releases", "", True, False, False),
    ],
)
def test_nodejs_preset(title, text, security, lts, major):
    release = classify(FeedPreset.NODEJS, title, text)
    assert (release.security, release.lts, release.major) == (security, lts, major)


def test_filters_decide_what_is_announced(server, team):
    server.route("/node.rss", body=feeds.node_rss(), etag='"n1"')
    source = subscription(server, "/node.rss", team["infra"], preset=FeedPreset.NODEJS, lts_only=True)
    poll_cycle()
    server.route("/node.rss", body=feeds.node_rss(feeds.NODE_LTS_ITEM, feeds.NODE_CURRENT_ITEM), etag='"n2"')
    due_again(source)
    poll_cycle()
    matched = dict(source.items.values_list("title", "facts__matched"))
    assert matched["Node.js 24.12.0 (LTS)"] is True
    assert matched["Node.js v26.0.0 (Current)"] is False


def test_keywords_and_regex(server):
    server.route("/nginx.rss", body=feeds.nginx_rss())
    source = subscription(server, "/nginx.rss", preset=FeedPreset.NGINX, keywords="mp4, http/3", pattern=r"1\.3[01]\.")
    poll_cycle()
    matched = {i.title[:12]: i.facts["matched"] for i in source.items.all()}
    assert matched == {"nginx-1.31.3": True, "njs-0.9.5 ve": False, "nginx-1.31.2": False}


def test_security_release_posts_with_a_patch_ticket_button(server, team, slack, django_capture_on_commit_callbacks):
    from tests.integrations.slack.conftest import drain, expand_notifications

    server.route("/nginx.rss", body=feeds.nginx_rss(), etag=ETAG)
    source = subscription(
        server, "/nginx.rss", team["infra"], preset=FeedPreset.NGINX, security_only=True, delivery=Delivery.INSTANT
    )
    with django_capture_on_commit_callbacks(execute=True):
        poll_cycle()
        server.route("/nginx.rss", body=feeds.nginx_rss(feeds.NGINX_SECURITY_ITEM, feeds.NGINX_NEW_ITEM), etag='"v3"')
        due_again(source)
        poll_cycle()
    expand_notifications()
    drain()
    posts = slack.calls_to("chat.postMessage")
    assert len(posts) == 1 and "1.31.4" in posts[0].args["text"]
    assert "alerts.patch_ticket" in str(posts[0].args["blocks"])
    item = Item.objects.get(title__startswith="nginx-1.31.4")
    ticket = release_open_patch_ticket(item=item, by=team["agent"])
    assert (ticket.ticket_type, ticket.group) == ("service_request", team["infra"])
    assert ticket.resolution_due is not None  # an SLA applies
    assert release_open_patch_ticket(item=item, by=team["agent"]) == ticket
