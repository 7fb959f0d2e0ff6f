"""Meeting domain signals, sent by meetings.services INSIDE their transaction (sender=Booking).

Every signal carries ``booking`` and ``by`` (erp.audit.actor.Actor).

booking_created            booking
booking_moved              booking, changes {field: [old, new]} of start / end / room
booking_attendees_changed  booking, added [Employee], removed [Employee]
booking_cancelled          booking, reason
booking_checked_in         booking
booking_released           booking (a no-show: nobody checked in in time)
attendee_declined          booking, employee
"""

from django.dispatch import Signal

booking_created = Signal()
booking_moved = Signal()
booking_attendees_changed = Signal()
booking_cancelled = Signal()
booking_checked_in = Signal()
booking_released = Signal()
attendee_declined = Signal()
