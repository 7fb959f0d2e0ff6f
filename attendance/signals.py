"""Attendance domain signals: what happened, for the Slack layer (DMs) and anyone else.

All are sent by the services INSIDE their database transaction (DESIGN.md convention 4: a
receiver writes an outbox row that commits or rolls back with the change). Every signal
carries ``by`` (erp.audit.actor.Actor). Figures are minutes (int) and aware datetimes.

punch_recorded            sender=Punch      punch, work_day (or None: unmatched), by
punches_ingested          sender=PunchBatch batch, accepted, duplicates, unmatched, rejected, by
checked_in / checked_out  sender=WorkDay    employee, work_day, punch, at, location, place,
                                            today_minutes, week_start, week_minutes, remaining_minutes,
                                            cap_minutes, by
                          Only for punches at most ATTENDANCE_NOTIFY_MAX_AGE_MINUTES old when the
                          day's first check-in appears / its last check-out moves (a device
                          replaying old punches does not DM people about yesterday).
weekly_threshold_crossed  sender=WorkDay    employee, manager, week_start, week_minutes, current_week,
                                            threshold_minutes, cap_minutes, remaining_minutes, by
                          (once per employee and week; current_week False when late punches
                          or a correction pushed a past week over)
weekly_cap_exceeded       same kwargs as weekly_threshold_crossed (once per employee and week)
weekly_breach_projected   sender=WorkDay    employee, manager, week_start, week_minutes, current_week,
                                            projected_minutes, cap_minutes, by (once per week;
                                            week_minutes includes today's live minutes)
missing_checkout          sender=WorkDay    employee, manager, work_day, checked_in_at, by
                          (once per day, by the reminder task; nothing is closed)
correction_requested      sender=Correction correction, employee, approvers (list of Employee), by
correction_decided        sender=Correction correction, employee, approved (bool), by
work_days_changed         sender=WorkDay    employee_dates {employee_id: [date, ...]}, by
"""

from django.dispatch import Signal

punch_recorded = Signal()
punches_ingested = Signal()
checked_in = Signal()
checked_out = Signal()
weekly_threshold_crossed = Signal()
weekly_cap_exceeded = Signal()
weekly_breach_projected = Signal()
missing_checkout = Signal()
correction_requested = Signal()
correction_decided = Signal()
work_days_changed = Signal()
