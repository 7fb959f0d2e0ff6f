"""Prometheus metrics: request latency, Slack calls, and gauges read from the database at scrape.

prometheus-client's standard multi-process mode is used when PROMETHEUS_MULTIPROC_DIR is
set (deploy/ sets it for gunicorn, workers and beat on a host): counters from every
process on the machine are summed at /metrics. The database gauges (outbox, heartbeats,
beat, Socket Mode, queues, uploads) are the same from any web node.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUEST_SECONDS = Histogram(
    "haru_http_request_duration_seconds",
    "Time to answer a request, by Django view",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SLACK_CALLS = Counter("haru_slack_api_calls_total", "Slack Web API calls by method and outcome", ["method", "outcome"])


def count_slack_call(method: str, outcome: str) -> None:
    SLACK_CALLS.labels(method=method, outcome=outcome).inc()


class RequestMetricsMiddleware:
    """Times every request; the label is the URL pattern's view name, never the raw path."""

    def __init__(self, get_response):
        self.get_response = get_response
        # (view, method) → the histogram's child: labels() validates and locks on every call,
        # a measurable part of a small webhook delivery. Views and methods are a bounded set.
        self.children = {}

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path)[:100] if match else "unresolved"
        child = self.children.get((view, request.method))
        if child is None:
            child = self.children[(view, request.method)] = REQUEST_SECONDS.labels(view=view, method=request.method)
        child.observe(time.perf_counter() - started)
        return response


class DatabaseCollector:
    """Gauges computed at scrape time from integrations.ops.status (one snapshot per scrape)."""

    def collect(self):
        from integrations.ops.status import snapshot

        snap = snapshot()
        outbox = GaugeMetricFamily("haru_outbox_messages", "Slack outbox rows not yet sent", labels=["kind", "status"])
        oldest = GaugeMetricFamily(
            "haru_outbox_oldest_age_seconds", "Age of the oldest unsent outbox row", labels=["kind", "status"]
        )
        for line in snap.outbox:
            outbox.add_metric([line.kind, line.status], line.count)
            oldest.add_metric([line.kind, line.status], line.oldest_age_seconds)
        yield outbox
        yield oldest
        seen = GaugeMetricFamily(
            "haru_process_heartbeat_age_seconds", "Seconds since a process last reported", labels=["role", "name"]
        )
        alive = GaugeMetricFamily("haru_process_alive", "1 if the process reported recently", labels=["role", "name"])
        for process in snap.processes:
            if process.age_seconds is not None:
                seen.add_metric([process.role, process.name], process.age_seconds)
            alive.add_metric([process.role, process.name], 1 if process.alive else 0)
        yield seen
        yield alive
        beat = GaugeMetricFamily(
            "haru_beat_last_run_timestamp_seconds", "When beat last ran each periodic task", labels=["task"]
        )
        for task in snap.beat_tasks:
            if task["last_run_at"]:
                beat.add_metric([task["name"]], task["last_run_at"].timestamp())
        yield beat
        depth = GaugeMetricFamily("haru_celery_queue_depth", "Messages waiting in each Celery queue", labels=["queue"])
        for queue, count in snap.queues.items():
            if count is not None:
                depth.add_metric([queue], count)
        yield depth
        if snap.uploads:
            yield GaugeMetricFamily(
                "haru_uploads_bytes", "Bytes stored under MEDIA_ROOT", value=snap.uploads["used_bytes"]
            )
            if snap.uploads.get("free_bytes") is not None:
                yield GaugeMetricFamily(
                    "haru_uploads_free_bytes", "Free bytes on the uploads file system", value=snap.uploads["free_bytes"]
                )
        yield from module_families(snap.modules)
        yield GaugeMetricFamily("haru_status_errors", "Status parts that could not be read", value=len(snap.errors))


def module_families(modules):
    """The gauges the modules declared in their StatusSection (erp/core/status.py)."""
    for section, report in modules:
        families = {
            metric.name: GaugeMetricFamily(metric.name, metric.help, labels=list(metric.labels))
            for metric in section.metrics
        }
        for sample in report.samples:
            family = families.get(sample.metric.name)
            if family is None:  # undeclared: a module bug, but never a broken scrape
                continue
            family.add_metric(list(sample.labels), sample.value)
        yield from families.values()


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        # This process's own counters and histograms, without re-registering them.
        registry.register(_ProcessMetrics())
    registry.register(DatabaseCollector())
    return registry


class _ProcessMetrics:
    def collect(self):
        for collector in (REQUEST_SECONDS, SLACK_CALLS):
            yield from collector.collect()
        from integrations.slack.socket import metrics as socket_metrics

        for name in ("SOCKET_ENVELOPES", "SOCKET_ACK_SECONDS", "SOCKET_DISCONNECTS", "SOCKET_CONNECT_FAILURES"):
            yield from getattr(socket_metrics, name).collect()


def allowed(request) -> bool:
    """Staff sessions, or ``Authorization: Bearer $METRICS_TOKEN`` (Prometheus' bearer_token)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme == "Bearer" and hmac.compare_digest(given.encode(), token.encode())


def metrics_view(request):
    if not allowed(request):
        return HttpResponse(
            "Forbidden: a staff login or the METRICS_TOKEN bearer token is needed.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
