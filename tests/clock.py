"""Pinning the clock for tests whose data sits on fixed days.

The punch and correction services refuse moments in their future and read "today" from
the clock, so a test that punches on 18 November 2026 depends on when it runs unless its
clock is pinned after that day. ``HARU_TEST_NOW`` (tests/conftest.py) travels the whole
suite to check that every such test is pinned.
"""

from datetime import datetime

import time_machine

from erp.workcalendar.calendar import KST

# A plain working Wednesday morning in KST, after the fixed days the attendance tests use.
WORKING_WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=KST)


def clock_pinned_at(request, moment: datetime):
    """Body of an autouse fixture: the test runs with the clock at ``moment``, ticking.

    A test with its own ``time_machine`` marker keeps that moment instead; one that moves the
    clock while it runs (the ``time_machine`` fixture, a patched ``timezone.now``) wins too,
    because its travel stacks on top of this one.
    """
    if request.node.get_closest_marker("time_machine"):
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield
