"""Domain-signal receivers that turn domain events into outbox rows."""


def connect_receivers() -> None:
    """Connect the receivers of every domain module that exists (called from AppConfig.ready)."""
    from . import attendance, tickets

    tickets.connect()
    attendance.connect()
