"""Attack tests reuse the ticket fixtures (people in every role, a ticket factory, a clock)."""

from tests.attendance.conftest import (  # noqa: F401  (fixtures: a device with a token)
    admin_employee,
    alice,
    dept,
    device,
    device_token,
    manager,
)
from tests.integrations.slack.inbound.conftest import (  # noqa: F401  (fixtures)
    _fresh_process_memory,
    crew,
    make_ticket,
    post,
)
from tests.tickets.conftest import (  # noqa: F401  (fixtures)
    _ticket_numbers_from_one,
    clock,
    dev,
    infra,
    new_ticket,
    people,
)
