"""Domain events of leave, sent inside the service's transaction (Slack and attendance listen).

- ``leave_requested(request, employee, approvers, by)``
- ``leave_decided(request, employee, approved, by)``
- ``leave_cancelled(request, employee, was_approved, by)``
"""

from django.dispatch import Signal

leave_requested = Signal()
leave_decided = Signal()
leave_cancelled = Signal()
