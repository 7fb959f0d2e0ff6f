"""side_by_side (erp.core.fanout): the calls run at once on connections of their own when they
may, one after another inside a transaction, and either way give the same results in order."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from erp.core import fanout
from erp.people.models import Department

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="side by side only on PostgreSQL")


def seen(code):
    """What a call sees: its thread, language, time zone, database session and a committed row."""
    return (
        threading.current_thread().name,
        translation.get_language(),
        str(timezone.get_current_timezone()),
        connection.cursor().connection.info.backend_pid,
        Department.objects.filter(code=code).exists(),
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_calls_run_at_once_each_on_its_own_connection_with_the_callers_language(settings):
    settings.FANOUT_THREADS = 4
    Department.objects.create(code="infra", name="인프라팀")
    with translation.override("en"), timezone.override("Asia/Seoul"):
        results = fanout.side_by_side(seen, ["infra", "infra", "nobody", "infra"])
    assert [found for *_rest, found in results] == [True, True, False, True]  # in the items' order
    assert {(language, zone) for _thread, language, zone, _pid, _found in results} == {("en", "Asia/Seoul")}
    assert len({thread for thread, *_rest in results}) > 1
    assert len({pid for *_rest, pid, _found in results}) > 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_error_in_one_call_is_raised_in_the_caller(settings):
    settings.FANOUT_THREADS = 4

    def fails_on_two(n):
        if n == 2:
            raise ValueError("two")
        return n

    with pytest.raises(ValueError, match="two"):
        fanout.side_by_side(fails_on_two, [1, 2, 3])


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_calls_run_in_series_and_see_its_writes(settings):
    settings.FANOUT_THREADS = 4
    with transaction.atomic():
        Department.objects.create(code="infra", name="인프라팀")  # not committed: other sessions cannot see it
        results = fanout.side_by_side(seen, ["infra", "infra", "infra"])
    assert [found for *_rest, found in results] == [True, True, True]
    assert {thread for thread, *_rest in results} == {threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_one_thread_means_in_series(settings):
    settings.FANOUT_THREADS = 1
    results = fanout.side_by_side(seen, ["a", "b"])
    assert {thread for thread, *_rest in results} == {threading.current_thread().name}


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_calls_no_thread_is_free_for_run_in_the_callers_thread(settings):
    settings.FANOUT_THREADS = 4
    fanout.side_by_side(seen, ["a", "b"])  # the pool exists
    release = threading.Event()
    busy = [fanout._executor().submit(release.wait, 30) for _ in range(fanout._pool_workers)]
    try:
        results = fanout.side_by_side(seen, ["a", "b", "c"])
    finally:
        release.set()
    assert {thread for thread, *_rest in results} == {threading.current_thread().name}
    assert all(future.result() for future in busy)
