"""Operations: Prometheus metrics, the system status page, process heartbeats, Sentry, JSON logs."""
