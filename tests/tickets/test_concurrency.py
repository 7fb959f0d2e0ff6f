"""Concurrent writers never lose a write (row locks). Needs PostgreSQL's real row locking."""

import threading

import pytest
from django.db import connection

from erp.audit.actor import Actor
from erp.audit.selectors import audit_trail
from tickets.models import Ticket, TicketCounter
from tickets.services import InvalidTransition, ticket_change_status, ticket_comment, ticket_create


def run_in_threads(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as exc:  # collected and asserted on by the test
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection; free it for teardown

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_status_changes_serialize(new_ticket, people):
    ticket = new_ticket()
    agent = people["agent"]
    # Both try open → in_progress at once: exactly one wins, the other sees the new status.
    results, errors = run_in_threads(
        lambda i: ticket_change_status(ticket=ticket, status="in_progress", by=Actor(agent)), 2
    )
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], InvalidTransition)
    assert audit_trail(ticket).filter(action="status_changed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_do_not_overwrite_each_other(new_ticket, people):
    ticket = new_ticket()
    agent = people["agent"]

    def write(i):
        if i % 2:
            return ticket_change_status(ticket=ticket, status="pending" if i == 1 else "in_progress", by=agent)
        return ticket_comment(ticket=ticket, body=f"comment {i}", by=agent)

    results, errors = run_in_threads(write, 6)
    ticket.refresh_from_db()
    assert ticket.comments.count() == 3
    assert ticket.first_responded_at is not None  # the first comment's write was not overwritten
    assert all(isinstance(e, InvalidTransition) for e in errors)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_allocates_unique_numbers(people, infra):
    requester = people["requester"]
    results, errors = run_in_threads(lambda i: ticket_create(title=f"동시 생성 {i}", group=infra, by=requester), 8)
    assert not errors
    numbers = sorted(int(t.number.split("-")[1]) for t in results)
    assert numbers == list(range(1, 9))
    assert TicketCounter.objects.get(ticket_type="incident").last_number == 8
    assert Ticket.objects.count() == 8
