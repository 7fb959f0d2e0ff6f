"""Periodic ticket jobs."""

from celery import shared_task

from .services.sla import sla_sweep


@shared_task(name="tickets.tasks.check_sla", ignore_result=True)
def check_sla() -> int:
    """Every minute (beat): flag tickets whose SLA targets became at risk or breached.

    Side effects: per ticket, in its own transaction under its row lock, flips the SLA
    flags, updates sla_state, writes audit events and sends ticket_sla_at_risk /
    ticket_sla_breached. Idempotent and safe to overlap: a flag already set is never
    signalled again. Returns the number of tickets examined.
    """
    return sla_sweep()
