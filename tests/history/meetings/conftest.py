"""The meetings crew (rooms, an organizer, an attendee, an outsider, a room admin), pinned to a working Wednesday."""

from tests.meetings.conftest import _english_messages, _pinned_clock, book, people, rooms  # noqa: F401
