"""erp.core.dates: the one date style of every Slack message (korean.md §4), KST, ko and en."""

from datetime import UTC, date, datetime

from django.utils import translation

from erp.core.dates import day_label, moment_label, range_label, span_label, time_label
from erp.workcalendar.calendar import KST

FRIDAY = date(2026, 11, 20)


def test_korean_reads_month_day_and_weekday():
    with translation.override("ko"):
        assert day_label(FRIDAY) == "11월 20일 (금)"
        assert day_label(date(2027, 1, 4), year=True) == "2027년 1월 4일 (월)"
        assert moment_label(datetime(2026, 11, 20, 9, 2, tzinfo=KST)) == "11월 20일 (금) 09:02"


def test_english_gets_the_same_shape():
    with translation.override("en"):
        assert day_label(FRIDAY) == "Nov 20 (Fri)"
        assert day_label(date(2027, 1, 4), year=True) == "Jan 4, 2027 (Mon)"
        assert moment_label(datetime(2026, 11, 20, 9, 2, tzinfo=KST)) == "Nov 20 (Fri) 09:02"


def test_moments_are_shown_in_seoul_time_whatever_their_zone():
    # 23:30 UTC on Thursday is 08:30 on Friday in Seoul: the day changes too.
    late_utc = datetime(2026, 11, 19, 23, 30, 15, tzinfo=UTC)
    with translation.override("ko"):
        assert moment_label(late_utc) == "11월 20일 (금) 08:30"
        assert moment_label(late_utc, seconds=True) == "11월 20일 (금) 08:30:15"
        assert time_label(late_utc) == "08:30"
        assert day_label(late_utc) == "11월 20일 (금)"


def test_missing_moments_read_as_a_dash():
    assert moment_label(None) == "—" and time_label(None) == "—"


def test_ranges_join_with_a_tilde_in_korean_and_an_en_dash_in_english():
    with translation.override("ko"):
        assert range_label(FRIDAY, date(2026, 11, 22)) == "11월 20일 (금) ~ 11월 22일 (일)"
        assert range_label(FRIDAY, FRIDAY) == "11월 20일 (금)"
    with translation.override("en"):
        assert range_label(FRIDAY, date(2026, 11, 22)) == "Nov 20 (Fri) – Nov 22 (Sun)"


def test_spans_name_the_end_day_only_when_it_differs():
    start = datetime(2026, 12, 3, 14, 0, tzinfo=KST)
    with translation.override("ko"):
        assert span_label(start, start.replace(hour=15)) == "12월 3일 (목) 14:00~15:00"
        assert span_label(start, start.replace(day=4, hour=9)) == "12월 3일 (목) 14:00~12월 4일 (금) 09:00"
