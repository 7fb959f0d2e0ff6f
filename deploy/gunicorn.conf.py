"""gunicorn settings for the web nodes (deploy/haru-web.service: gunicorn -c deploy/gunicorn.conf.py).

Environment overrides: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads, not more processes: requests mostly wait on PostgreSQL and Slack's views.open.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# nginx keeps idle upstream connections 60 s: stay open longer so it never reuses a closed one.
keepalive = 75
# A request still running after 30 s is stuck (Slack gave up after 3 s): recycle the worker.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows unbounded; jitter avoids all at once.
max_requests = 5000
max_requests_jitter = 500
# Only nginx on this host may set X-Forwarded-* (erp.settings.production trusts them).
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = "-"
errorlog = "-"
# Request-line and header limits as nginx's, so both refuse the same oversized requests.
limit_request_line = 8190
limit_request_fields = 100


def child_exit(server, worker):
    """prometheus-client multi-process mode: drop a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
