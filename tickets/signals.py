"""Domain signals of the tickets module (DESIGN.md §3.3: domain signals, not post_save).

Every signal is sent by a service INSIDE its database transaction, after the change and
its audit event were written, so a receiver can write an outbox row atomically with the
change (and must not call slow external systems itself). If a receiver raises, the whole
change rolls back; receivers that must never block a change should catch their errors.

Common keyword arguments of every signal:
    ticket  the Ticket (already saved, fresh values)
    by      the erp.audit.actor.Actor who acted (``by.source``: web/admin/api/slack/system)

Extra keyword arguments:
    ticket_created         –
    ticket_updated         changes: {field: [old, new]} (only fields that changed)
    ticket_assigned        old_assignee, new_assignee (User or None), auto (bool: round-robin)
    ticket_status_changed  old_status, new_status (Status values), reason (str, may be "")
    ticket_resolved        resolution (str)  — also sends ticket_status_changed
    ticket_closed          reason (str), resolution (str, the ticket's, may be ""), resolved_before (bool:
                           closed after its resolve step) — also sends ticket_status_changed
    ticket_reopened        reason (str)      — also sends ticket_status_changed
    ticket_commented       comment (Comment; check ``comment.internal`` before showing it to requesters)
    ticket_escalated       old_level, new_level (int), old_group, new_group (Department or None), reason (str)
    ticket_sla_at_risk     target ('first_response' | 'resolution'), due (aware datetime)
    ticket_sla_breached    target ('first_response' | 'resolution'), due (aware datetime)
    ticket_rated           rating (SatisfactionRating, fresh), old_score (int or None), created (bool)

The SLA signals are sent exactly once per ticket and target (the flag on the ticket row is
flipped under a row lock in the same transaction).
"""

from django.dispatch import Signal

ticket_created = Signal()
ticket_updated = Signal()
ticket_assigned = Signal()
ticket_status_changed = Signal()
ticket_resolved = Signal()
ticket_closed = Signal()
ticket_reopened = Signal()
ticket_commented = Signal()
ticket_escalated = Signal()
ticket_sla_at_risk = Signal()
ticket_sla_breached = Signal()
ticket_rated = Signal()
