"""Domain signals of the inquiries module, sent by the services inside their transaction.

Common keyword arguments: ``inquiry`` (saved, fresh) and ``by`` (the erp.audit.actor.Actor).

    inquiry_received        – a new inquiry that is not spam (its card goes to Slack)
    inquiry_quarantined     reasons (list of spam rule codes): kept, not announced
    inquiry_released        – a quarantined inquiry was judged not spam (announced now)
    inquiry_updated         changes: {field: [old, new]}
    inquiry_assigned        old_assignee, new_assignee (User or None)
    inquiry_status_changed  old_status, new_status, reason (str)
    inquiry_noted           note (Note: internal, never leaves the portal)
    inquiry_answered        answer (Answer)
    inquiry_shared          – shared with marketing
    inquiry_converted       ticket (tickets.Ticket opened from it)
"""

from django.dispatch import Signal

inquiry_received = Signal()
inquiry_quarantined = Signal()
inquiry_released = Signal()
inquiry_updated = Signal()
inquiry_assigned = Signal()
inquiry_status_changed = Signal()
inquiry_noted = Signal()
inquiry_answered = Signal()
inquiry_shared = Signal()
inquiry_converted = Signal()
