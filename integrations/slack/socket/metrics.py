"""Prometheus metrics of the Socket Mode process (served by `slack_socket --metrics-port`)."""

from prometheus_client import Counter, Gauge, Histogram

SOCKET_ENVELOPES = Counter(
    "haru_slack_socket_envelopes_total",
    "Socket Mode envelopes by kind and outcome (acked, duplicate, redeliver, error)",
    ["kind", "outcome"],
)
SOCKET_ACK_SECONDS = Histogram(
    "haru_slack_socket_ack_seconds",
    "Time from receiving an envelope to sending its ack",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5),
)
SOCKET_DISCONNECTS = Counter(
    "haru_slack_socket_disconnects_total", "disconnect frames from Slack by reason", ["reason"]
)
SOCKET_CONNECT_FAILURES = Counter(
    "haru_slack_socket_connect_failures_total", "Failed (re)connections (apps.connections.open or handshake)"
)
SOCKET_CONNECTED = Gauge("haru_slack_socket_connected", "1 while this process holds a live connection", ["process"])
