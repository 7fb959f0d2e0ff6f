"""The history search over every registered search source: facets, capped counts, pages.

Every source is asked the same question through its own selector (``for_user``) and its own
match rule (``match_q``), so each module's permissions hold for its hits. Costs per source: the
planner's probes per word variant, one query for the hits, one bounded count (at most
COUNT_CAP + 1 rows are ever counted: "1,000+" instead of an unfiltered COUNT(*)).

The count is often already known: when a probe found FREQUENT_TERM_MATCHES (2,000) rows of the
model whose own field holds the word, and the viewer sees every row with no other filter, there
are more than COUNT_CAP hits and "1,000+" needs no query (``probed_count``). Counting them
instead walked ~12,000 tickets with a per-row comment probe each: 1.2–1.6 s at p95.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext

from erp.core.fanout import side_by_side
from erp.core.pagination import KeysetPage, decode_cursor, keyset_page
from erp.core.search import SearchHit, SearchSource, contains, search_sources
from erp.core.search.planner import ProbeReport, probe_reports

from .terms import MAX_WORDS, Word

COUNT_CAP = 1000
# The overview's counts stop sooner: a viewer who sees part of the rows (an agent) is counted
# row by row, and 1,001 hits of a frequent word meant walking ~20,000 tickets with a per-row
# comment probe for most of them (~100-300 ms at 1,000,000 tickets); 101 is a tenth of that.
# The module's own page (``page``) still counts to COUNT_CAP.
OVERVIEW_COUNT_CAP = 100
OVERVIEW_HITS = 5
PAGE_SIZE = 20
RANK = "search_rank"


class BadCursor(ValueError):
    """A page cursor that no page of this search produced."""


@dataclass(frozen=True)
class SearchRequest:
    words: list[Word]
    keys: list[str] = field(default_factory=list)  # no keys: every source
    start: datetime | None = None  # [start, end), aware
    end: datetime | None = None
    person: int | None = None  # an Employee pk
    status: str = ""
    best_match: bool = False

    @property
    def needles(self) -> list[str]:
        return [variant for word in self.words for variant in word.variants]


@dataclass(frozen=True)
class Count:
    value: int
    capped: bool

    def __str__(self):
        shown = number_format(self.value, force_grouping=True)
        return f"{shown}+" if self.capped else shown

    @property
    def found(self) -> str:
        """ "1,000+ found" / "1,000건 이상", "12 found" / "12건"."""
        shown = number_format(self.value, force_grouping=True)
        if self.capped:
            return gettext("%(count)s+ found") % {"count": shown}
        return gettext("%(count)s found") % {"count": shown}


@dataclass
class Group:
    """One module's share of the overview: its first hits and how many there are (capped)."""

    source: SearchSource
    hits: list[SearchHit]
    count: Count


def sources_for(request: SearchRequest) -> list[SearchSource]:
    chosen = search_sources(request.keys or None)
    if request.status:
        chosen = [s for s in chosen if s.status_field and request.status in _status_values(s)]
    if request.person is not None:
        chosen = [s for s in chosen if s.person_fields]
    return chosen


def _status_values(source: SearchSource) -> set[str]:
    return {str(value) for value, _label in source.model._meta.get_field(source.status_field).flatchoices}


def matching(source: SearchSource, user, request: SearchRequest) -> QuerySet:
    """Every hit of ``source`` for ``request`` that ``user`` may see (unordered)."""
    records = source.for_user(user)
    if not request.words or records.query.is_empty():
        return records.none()
    word_matches = [reduce(or_, (source.match_q(user, v) for v in word.variants)) for word in request.words]
    records = records.filter(reduce(and_, word_matches))
    if source.date_field and request.start is not None:
        records = records.filter(**{f"{source.date_field}__gte": request.start})
    if source.date_field and request.end is not None:
        records = records.filter(**{f"{source.date_field}__lt": request.end})
    if request.person is not None:
        records = records.filter(reduce(or_, (Q(**{lookup: request.person}) for lookup in source.person_fields)))
    if request.status:
        records = records.filter(**{source.status_field: request.status})
    if source.select_related:
        records = records.select_related(*source.select_related)
    return records


def order_of(source: SearchSource, request: SearchRequest) -> list[tuple[str, bool]]:
    order = [(source.date_field, True), ("id", True)] if source.date_field else [("id", True)]
    if request.best_match and source.best_match_field:
        order.insert(0, (RANK, True))
    return order


def ordered(records: QuerySet, source: SearchSource, request: SearchRequest) -> QuerySet:
    """``records`` with the best-match rank annotated when asked (how many words the rank field holds)."""
    if not (request.best_match and source.best_match_field):
        return records
    name = source.best_match_field
    scores = [
        Case(
            When(reduce(or_, (Q(contains(name, v)) for v in word.variants)), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for word in request.words
    ]
    return records.annotate(**{RANK: reduce(lambda a, b: a + b, scores)})


def in_order(records: QuerySet, source: SearchSource, request: SearchRequest) -> QuerySet:
    """``records`` sorted as the request asks (best match or newest first, then by id)."""
    return ordered(records, source, request).order_by(*_order_args(order_of(source, request)))


def capped_count(records: QuerySet, cap: int = COUNT_CAP) -> Count:
    counted = records.order_by().values("pk")[: cap + 1].count()
    return Count(min(counted, cap), counted > cap)


def probed_count(
    source: SearchSource, user, request: SearchRequest, reports: list[ProbeReport], cap: int | None = None
) -> Count | None:
    """ "1,000+" straight from the planner's probes when they prove it, else None (count then).

    Only when it is certain: one word (its spacing variants only widen the match), no facet or
    period, a viewer who sees every row of the model (the probes counted all rows, not the
    viewer's), and a probe of one of the source's own fields that found more than ``cap``
    (COUNT_CAP) rows. SearchSource.matches may widen the plain-field match, never narrow it.
    """
    cap = COUNT_CAP if cap is None else cap
    if len(request.words) != 1 or request.start or request.end or request.person is not None or request.status:
        return None
    own_fields = {name for name in source.fields if isinstance(name, str)}
    proven = any(
        report.model is source.model and report.at_least > cap and own_fields.intersection(report.frequent)
        for report in reports
    )
    if not proven or not _sees_every_row(source.for_user(user), source.model):
        return None
    return Count(cap, True)


def _sees_every_row(records: QuerySet, model) -> bool:
    """Whether ``records`` is every row of ``model`` (no condition, slice, union or DISTINCT);
    the default manager too, since the probes read through it."""
    query = records.query
    plain = not (query.where or query.is_sliced or query.combinator or query.distinct or query.is_empty())
    return records.model is model and plain and not model._default_manager.all().query.where


def _matching_and_reports(source: SearchSource, user, request: SearchRequest):
    with probe_reports() as reports:
        records = matching(source, user, request)
    return records, reports


def overview(user, request: SearchRequest, *, hits: int = OVERVIEW_HITS) -> list[Group]:
    """Every chosen source's first ``hits`` and count capped at OVERVIEW_COUNT_CAP; sources without
    hits are left out. The sources are asked side by side (erp.core.fanout), each on a connection
    of its own, so the page costs about its slowest source rather than the sum of them all."""
    groups = side_by_side(lambda source: _group(source, user, request, hits), sources_for(request))
    return [group for group in groups if group is not None]


def _group(source: SearchSource, user, request: SearchRequest, hits: int) -> Group | None:
    records, reports = _matching_and_reports(source, user, request)
    if records.query.is_empty():
        return None
    rows = list(in_order(records, source, request)[:hits])
    if not rows:
        return None
    if len(rows) < hits:
        count = Count(len(rows), False)
    else:
        cap = OVERVIEW_COUNT_CAP
        count = probed_count(source, user, request, reports, cap) or capped_count(records, cap)
    return Group(source, [source.hit(row) for row in rows], count)


def page(user, source: SearchSource, request: SearchRequest, *, cursor: str | None, size: int = PAGE_SIZE):
    """(keyset page of hits, capped count) of one source; BadCursor for a cursor we never made."""
    order = order_of(source, request)
    if cursor and not _cursor_fits(cursor, source, order):
        raise BadCursor(cursor)
    records, reports = _matching_and_reports(source, user, request)
    result: KeysetPage = keyset_page(ordered(records, source, request), order=order, cursor=cursor, page_size=size)
    result.items = [source.hit(row) for row in result.items]
    first_page_count = None if cursor else (probed_count(source, user, request, reports) or capped_count(records))
    return result, first_page_count


def _cursor_fits(cursor: str, source: SearchSource, order) -> bool:
    decoded = decode_cursor(cursor, source.model, order)
    if decoded is None:
        return False
    if order[0][0] == RANK:
        try:
            rank = int(decoded[0][0])
        except ValueError:
            return False
        return 0 <= rank <= MAX_WORDS
    return True


def _order_args(order) -> list[str]:
    return [f"-{name}" if desc else name for name, desc in order]
