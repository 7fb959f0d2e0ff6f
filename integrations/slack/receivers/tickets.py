"""Ticket notifications: receivers of tickets/signals.py (connected once the module exists)."""


def connect() -> None:
    return None
