"""The search planner: which SQL answers "rows whose text fields contain this text", fast.

Declare once per model which fields are searched, then build a Q per query::

    TICKET_TEXT = TextSearch(Ticket, ["title", "description",
                                      RelatedText(Comment, "ticket", "body", private="internal")])
    Ticket.objects.filter(TICKET_TEXT.q("장애", reveal=Q(assignee=user)))

(or ``contains_q(Ticket, fields, text)`` for a one-off). Matching is a case-insensitive
substring test, the same answer as a plain LIKE scan; only the SQL differs.

Why a planner: PostgreSQL cannot estimate how many rows a bigram-index condition matches (it
multiplies the bigram frequencies as if independent: 23 estimated vs 10,039 actual on the
ticket bench), so left alone it picks a bad plan for rare terms or for frequent ones. So
``q()`` asks the index itself, one bounded probe per field ("the first
FREQUENT_TERM_MATCHES matches", through the GIN index; every field's probe in one round trip),
and builds the Q from the answers:

- every field rare: the probes already hold every matching id, so the Q is ``pk IN (ids)``.
  The database then starts from those few rows (primary-key lookups and a small sort)
  instead of walking the caller's whole sort index and testing each row: at 1,000,000
  tickets a term with 0–3 matches took 530–620 ms that way, to find nothing;
- some field frequent: the Q is tested row by row while the database walks the caller's
  sort index: a cheap STRPOS for a frequent field, the ids found for a rare field (a hashed
  IN list), a per-row probe for a related field. Matches are dense, so a page of 50 is
  found after a few hundred rows instead of collecting tens of thousands of ids.

The threshold sits about where the two costs meet: collecting N ids costs ~N row reads and
re-checks, walking costs ~page × table / N index entries (each several times cheaper); for a
page of 50 over 10^6 rows that is a few thousand, hence 2,000.

On SQLite there is no bigram index: the probes are plain scans (bounded for frequent
terms), the answers are the same. A one-character text skips the probes (no bigram to look
up) and is tested row by row.

Private related rows (internal notes): a RelatedText with ``private="internal"`` only
matches its private rows where ``reveal`` allows: a Q on the searched model ("tickets this
user handles"), None for everywhere (an admin), NOWHERE (the default) for nowhere.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, Model, OuterRef, Q, Value
from django.db.models.functions import Lower, StrIndex
from django.db.models.lookups import GreaterThan

from erp.core.prepared import PreparedSQL

from .bigrams import one_bigram

# How many matches make a term "frequent" in one field (see the module docstring).
FREQUENT_TERM_MATCHES = 2000

# ``reveal`` for "no private related row is readable".
NOWHERE = Q(pk__in=[])


def clean_text(text) -> str:
    """The text to search for: stripped, without NUL (PostgreSQL text cannot hold it)."""
    return str(text or "").replace("\x00", "").strip()


def contains(field: str, text: str):
    """Plain per-row substring test (STRPOS / INSTR): cheap on one row, uses no index."""
    return GreaterThan(StrIndex(Lower(field), Value(text.lower())), 0)


@dataclass(frozen=True)
class RelatedText:
    """Text on rows of another model that point at the searched one, e.g. a ticket's comments.

    ``parent`` is the foreign key on ``model`` to the searched model, ``field`` the text.
    ``private`` names a boolean field marking rows only some readers may see (see ``reveal``).
    ``row_function`` names a PostgreSQL function ``(parent_id, text, public_only) → boolean``
    (erp.core.search.bigrams.related_match_function) used when the term is frequent; without
    it a correlated EXISTS is used, which PostgreSQL may turn into a scan of every related row.
    """

    model: type[Model]
    parent: str
    field: str
    private: str | None = None
    row_function: str | None = None

    @property
    def parent_column(self) -> str:
        return self.model._meta.get_field(self.parent).attname


@dataclass(frozen=True)
class _Probe:
    """What the index said about one field: the ids it found, and whether that is all of them."""

    rare: bool
    ids: frozenset = frozenset()
    private_ids: frozenset = frozenset()  # parents matched only by private related rows


def _bounded(probes: list[tuple]) -> list[list[tuple] | None]:
    """For each ``(rows, columns)``: the columns of the matching rows when there are fewer
    than FREQUENT_TERM_MATCHES, else None.

    On PostgreSQL every probe goes in one round trip (each probe is an aggregate, so their
    cross join is one row), and a frequent term sends nothing back: the bigram index builds its
    bitmap of every match either way (the cost of a frequent term's probe), and the first
    2,000 ids would only be thrown away.
    """
    sliced = _sliced(probes)
    if connection.vendor != "postgresql":
        found = [list(rows) for rows, _ in sliced]
        return [rows if len(rows) < FREQUENT_TERM_MATCHES else None for rows in found]
    return _answers(*_one_round_trip(sliced), [width for _, width in sliced])


def _sliced(probes: list[tuple]) -> list[tuple]:
    # order_by(): a model's default ordering would turn the probe into a walk of its sort index.
    limit = FREQUENT_TERM_MATCHES
    return [(rows.order_by().values_list(*columns)[:limit], len(columns)) for rows, columns in probes]


def _one_round_trip(sliced: list[tuple]) -> tuple[str, list]:
    """PostgreSQL: every probe as one SELECT (each an aggregate, so their cross join is one row)."""
    selects, params = [], []
    for index, (rows, width) in enumerate(sliced):
        sql, own_params = rows.query.sql_with_params()
        names = ", ".join(f"c{i}" for i in range(width))
        arrays = ", ".join(f"CASE WHEN count(*) < %s THEN array_agg(c{i}) END" for i in range(width))
        selects.append(f"(SELECT count(*), {arrays} FROM ({sql}) AS probe ({names})) AS p{index}")
        params += [FREQUENT_TERM_MATCHES] * width + list(own_params)
    return f"SELECT * FROM {', '.join(selects)}", params


def _answers(sql: str, params: list, widths: list[int]) -> list[list[tuple] | None]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = list(cursor.fetchone())
    answers = []
    for width in widths:
        count, *found = row[: width + 1]
        del row[: width + 1]
        answers.append(None if count >= FREQUENT_TERM_MATCHES else (list(zip(*found, strict=True)) if count else []))
    return answers


@dataclass(frozen=True)
class ProbeReport:
    """What one ``q()`` learnt from its probes: ``frequent`` names the model's own fields (no
    relation in between) in which at least ``at_least`` rows contain the text."""

    model: type[Model]
    frequent: tuple[str, ...]
    at_least: int


_reports: ContextVar[list | None] = ContextVar("probe_reports", default=None)


@contextmanager
def probe_reports():
    """Collect a ProbeReport for every ``q()`` run in the block (in this thread or task).

    A frequent probe is a count the database has already made: the history search shows
    "1,000+" from it instead of counting the rows again (erp.history.engine).
    """
    reports: list[ProbeReport] = []
    token = _reports.set(reports)
    try:
        yield reports
    finally:
        _reports.reset(token)


class TextSearch:
    """The searchable fields of one model, and the planner that turns a text into a Q."""

    def __init__(self, model: type[Model], fields: Iterable[str | RelatedText]):
        self.model = model
        self.fields = tuple(fields)
        self._prepared: dict[tuple, PreparedSQL] = {}
        if not self.fields:
            raise ValueError(f"{model.__name__}: a TextSearch needs at least one field")
        for field in self.fields:
            if not isinstance(field, RelatedText):
                model._meta.get_field(field.split("__", 1)[0])  # fail early on a typo

    def __repr__(self):
        return f"TextSearch({self.model.__name__}, {self.fields!r})"

    def q(self, text: str, *, reveal: Q | None = NOWHERE) -> Q:
        """Rows with a field containing ``text``. Runs the probe queries now; the Q is then plain SQL.

        An empty text matches every row (as a substring test would); callers usually skip it.
        """
        return self.plan(text).q(reveal=reveal)

    def plan(self, text: str) -> "SearchPlan":
        """Ask the index about ``text`` now (the probes); the plan then gives the Q or the ids."""
        text = clean_text(text)
        if not text:
            return SearchPlan(self, text, ())
        # One character has no bigram to look up: the probe would be a scan too.
        probes = self._probes(text) if len(text) > 1 else [None] * len(self.fields)
        self._report(probes)
        return SearchPlan(self, text, tuple(probes))

    def filter(self, queryset, text: str, *, reveal: Q | None = NOWHERE):
        return queryset.filter(self.q(text, reveal=reveal))

    def _report(self, probes: list) -> None:
        reports = _reports.get()
        if reports is None:
            return
        frequent = tuple(
            field
            for field, probe in zip(self.fields, probes, strict=True)
            # A probe counts rows of this model: only its own columns (a field through a relation
            # may repeat a row, a related row is not a row of this model).
            if probe is not None and not probe.rare and isinstance(field, str) and "__" not in field
        )
        reports.append(ProbeReport(self.model, frequent, FREQUENT_TERM_MATCHES))

    # --- the two shapes ----------------------------------------------------------------
    def _probes(self, text: str) -> list[_Probe]:
        """What the index says about each field, all fields in one query (see ``_bounded``)."""
        if connection.vendor == "postgresql":
            found = _answers(*self._probe_sql(one_bigram(text)).bind(text), self._probe_widths)
        else:
            found = _bounded([self._probe_rows(field, text) for field in self.fields])
        return [self._probe(field, answer) for field, answer in zip(self.fields, found, strict=True)]

    def _probe_sql(self, bigram: bool) -> PreparedSQL:
        """The probes' one SELECT, composed once: only the text changes between searches, and
        composing it (three querysets compiled) cost as much as the database's answer. One per
        shape (a one-bigram text needs no re-check) and per FREQUENT_TERM_MATCHES (the SQL holds
        it, and it is read at call time: tests change it)."""
        key = (FREQUENT_TERM_MATCHES, bigram)
        if key not in self._prepared:
            self._prepared[key] = PreparedSQL(
                lambda text: _one_round_trip(_sliced([self._probe_rows(f, text, bigram=bigram) for f in self.fields])),
                str,
            )
        return self._prepared[key]

    @cached_property
    def _probe_widths(self) -> list[int]:
        return [len(self._probe_rows(field, "")[1]) for field in self.fields]

    def _probe_rows(self, field, text: str, *, bigram: bool = False) -> tuple:
        """The rows a field's probe reads, and the columns it collects from them (``bigram``:
        the text is one bigram, the index alone answers)."""
        lookup = "search_bigram" if bigram else "search_contains"
        if isinstance(field, RelatedText):
            rows = field.model._default_manager.filter(**{f"{field.field}__{lookup}": text})
            columns = (field.parent_column, field.private) if field.private else (field.parent_column,)
            return rows, columns
        return self.model._default_manager.filter(**{f"{field}__{lookup}": text}), ("pk",)

    @staticmethod
    def _probe(field, found: list[tuple] | None) -> _Probe:
        if found is None:
            return _Probe(rare=False)
        if isinstance(field, RelatedText) and field.private:
            public = frozenset(parent for parent, private in found if not private)
            hidden = frozenset(parent for parent, private in found if private) - public
            return _Probe(rare=True, ids=public, private_ids=hidden)
        return _Probe(rare=True, ids=frozenset(row[0] for row in found))

    @staticmethod
    def _found(probes: list[_Probe], reveal: Q | None) -> Q:
        """``pk IN (the ids the probes found)``, private matches only where ``reveal`` allows."""
        ids = frozenset().union(*(p.ids for p in probes))
        hidden = frozenset().union(*(p.private_ids for p in probes)) - ids
        if reveal is None:
            ids, hidden = ids | hidden, frozenset()
        found = Q(pk__in_array=sorted(ids))  # one array parameter (erp.core.search.bigrams.InArray)
        if hidden and reveal is not NOWHERE:
            found |= reveal & Q(pk__in_array=sorted(hidden))
        return found

    def _row_test(self, field, text: str, reveal: Q | None) -> Q:
        if not isinstance(field, RelatedText):
            return Q(contains(field, text))
        if field.private is None or reveal is None:
            return Q(self._related_row_test(field, text, public_only=False))
        public = Q(self._related_row_test(field, text, public_only=True))
        if reveal is NOWHERE:
            return public
        return public | (reveal & Q(self._related_row_test(field, text, public_only=False)))

    @staticmethod
    def _related_row_test(field: RelatedText, text: str, *, public_only: bool):
        if field.row_function and connection.vendor == "postgresql":
            return Func(
                F("pk"), Value(text), Value(public_only), function=field.row_function, output_field=BooleanField()
            )
        own = field.model._default_manager.filter(**{field.parent: OuterRef("pk")}).filter(contains(field.field, text))
        if public_only:
            own = own.filter(**{field.private: False})
        return Exists(own)


class SearchPlan:
    """What the probes said about one text: the Q to filter by, or, when the index found every
    match, just their ids (``found_ids``)."""

    def __init__(self, search: TextSearch, text: str, probes: tuple):
        self._search = search
        self._text = text
        self._probes = probes

    @property
    def every_field_rare(self) -> bool:
        return bool(self._probes) and all(probe is not None and probe.rare for probe in self._probes)

    def q(self, *, reveal: Q | None = NOWHERE) -> Q:
        if not self._text:
            return Q()
        search = self._search
        if self.every_field_rare:
            return search._found(list(self._probes), reveal)
        matches = Q(pk__in=[])
        for field, probe in zip(search.fields, self._probes, strict=True):
            matches |= (
                search._found([probe], reveal)
                if probe is not None and probe.rare
                else search._row_test(field, self._text, reveal)
            )
        return matches

    def found_ids(self, *, reveal_all: bool = False) -> list | None:
        """The ids ``q`` matches, when they are all the Q holds; else None.

        That is when every field was rare and no match is a private row waiting for a
        ``reveal`` condition (``reveal_all``: every private row is readable, as ``reveal=None``).
        For a caller that runs its final query prepared (erp.core.prepared) with the ids as one
        array parameter, instead of compiling ``pk IN (…)`` anew for every search.
        """
        if not self.every_field_rare:
            return None
        ids = frozenset().union(*(p.ids for p in self._probes))
        hidden = frozenset().union(*(p.private_ids for p in self._probes)) - ids
        if hidden and not reveal_all:
            return None
        return sorted(ids | hidden)


def contains_q(model: type[Model], fields: Iterable[str | RelatedText], text: str, *, reveal=NOWHERE) -> Q:
    """One-off form of ``TextSearch(model, fields).q(text, reveal=reveal)``."""
    return TextSearch(model, fields).q(text, reveal=reveal)
