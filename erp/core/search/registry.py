"""The search-source registry: one search over every module's records, each module's rules applied.

A module describes what of it is searchable, once, as a SearchSource, and registers it from its
AppConfig.ready()::

    register_search_source(SearchSource(
        key="tickets", label=_("Tickets"), model=Ticket,
        fields=("title", "description"),
        for_user=visible_tickets,             # the module's permission-aware selector
        title=lambda t: f"{t.number} {t.title}", url=lambda t: t.get_absolute_url(),
        summary=lambda t: t.description, date_field="created_at",
    ))

Then ``search_everywhere(user, text)`` asks every source for its newest hits the user may see
(bounded per source), and ``SearchSource.queryset(user, text)`` is the full, ordered result of
one source for pages that paginate or export it. Nothing here knows a module: the registry
only calls what the sources declare, so a new module joins by registering, and the history
search grows with it.

Permissions: a hit comes only from ``for_user(user)``, which must be the module's own
permission-aware selector (never ``Model.objects.all()``), and ``matches`` must not let a user
match on text they may not read (see ``RelatedText.private`` and ``reveal`` in the planner).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .planner import RelatedText, TextSearch, clean_text

# Hits per source that search_everywhere may be asked for: a search page shows a few per module
# and links to the module's own list for more, so a larger bound is a mistake, not a need.
MAX_HITS_PER_SOURCE = 100


@dataclass(frozen=True)
class SearchHit:
    """One record found, ready to show: what it is, a line of context, where it lives, when."""

    source: "SearchSource"
    obj: Model
    title: str
    summary: str
    url: str
    when: datetime | date | None


@dataclass(frozen=True)
class SourceResults:
    """The newest hits of one source; ``more`` says whether the source holds further hits."""

    source: "SearchSource"
    hits: list[SearchHit]
    more: bool


@dataclass(frozen=True, eq=False)
class SearchSource:
    """What one module makes searchable, and how its hits are shown.

    - ``key``: stable identifier ("tickets"), unique in the registry (URLs and facets use it);
    - ``label``: translatable name shown above its hits (``gettext_lazy``);
    - ``model`` and ``fields``: what is searched (field names, or RelatedText for text on
      related rows such as comments); the planner (TextSearch) picks the SQL per query;
    - ``for_user(user) -> QuerySet``: the records ``user`` may see (the module's selector);
    - ``title(obj)``, ``summary(obj)``, ``url(obj)``: how a hit is shown and linked;
    - ``date_field``: hits are newest first by it (then by primary key); None for records
      without a moment of their own (people): newest by primary key, no date-range facet;
    - ``matches(user, text) -> Q``: replaces the plain field match when the module has more
      rules (private related rows only for some readers, an exact reference such as INC-12);
      it may widen what the plain fields match, never narrow it (the history search's counts
      trust the planner's probes of those fields: erp.history.engine.probed_count);
    - ``select_related``: what ``title``/``summary`` read, fetched with the hits;
    - ``order``: position among the sources (smaller first).

    Optional, for the history search page (erp.history); a source without them still works:
    - ``person_fields``: lookups from the model to an ``erp.people.Employee`` ("employee",
      "assignee__employee"); the person facet keeps hits where any of them is that person;
    - ``status_field``: a field with choices; the status facet filters on it;
    - ``body(obj) -> str``: the full text a highlighted snippet is cut from (default: summary);
    - ``rank_field``: where a match makes a hit a "best match" (default: the first plain field);
    - ``csv_columns``: extra ``(label, obj -> value)`` columns of the CSV export.
    """

    key: str
    label: Any
    model: type[Model]
    fields: tuple[str | RelatedText, ...]
    for_user: Callable[[Any], QuerySet]
    title: Callable[[Model], str]
    url: Callable[[Model], str]
    summary: Callable[[Model], str] | None = None
    date_field: str | None = "created_at"
    matches: Callable[[Any, str], Q] | None = None
    select_related: tuple[str, ...] = ()
    order: int = 50
    person_fields: tuple[str, ...] = ()
    status_field: str | None = None
    body: Callable[[Model], str] | None = None
    rank_field: str | None = None
    csv_columns: tuple[tuple[Any, Callable[[Model], Any]], ...] = ()
    text_search: TextSearch = field(init=False, repr=False)

    def __post_init__(self):
        if not self.key or not self.key.replace("_", "").isalnum():
            raise ValueError(f"search source key must be a plain word: {self.key!r}")
        object.__setattr__(self, "fields", tuple(self.fields))
        object.__setattr__(self, "text_search", TextSearch(self.model, self.fields))
        for name in (self.date_field, self.status_field):
            if name is not None:
                self.model._meta.get_field(name)
        object.__setattr__(self, "person_fields", tuple(self.person_fields))

    @property
    def ordering(self) -> tuple[str, ...]:
        """Newest first: by the date field, then the primary key (only the key when undated)."""
        return (f"-{self.date_field}", "-pk") if self.date_field else ("-pk",)

    @property
    def best_match_field(self) -> str | None:
        if self.rank_field:
            return self.rank_field
        return next((f for f in self.fields if isinstance(f, str) and "__" not in f), None)

    def match_q(self, user, text: str) -> Q:
        """The match condition for ``text`` (runs the planner's probe queries)."""
        if self.matches is not None:
            return self.matches(user, text)
        return self.text_search.q(text)

    def queryset(self, user, text: str) -> QuerySet:
        """Every hit ``user`` may see, newest first; empty for an empty text."""
        records = self.for_user(user)
        text = clean_text(text)
        if not text or records.query.is_empty():  # nothing to look for, or nothing visible: no probes
            return records.none()
        if self.select_related:
            records = records.select_related(*self.select_related)
        return records.filter(self.match_q(user, text)).order_by(*self.ordering)

    def hit(self, obj: Model) -> SearchHit:
        summary = self.summary(obj) if self.summary is not None else ""
        when = getattr(obj, self.date_field) if self.date_field else None
        return SearchHit(source=self, obj=obj, title=self.title(obj), summary=summary, url=self.url(obj), when=when)

    def search(self, user, text: str, *, limit: int = 10) -> SourceResults:
        """The newest ``limit`` hits (one query more than the planner's probes)."""
        rows = list(self.queryset(user, text)[: limit + 1])
        return SourceResults(self, [self.hit(obj) for obj in rows[:limit]], more=len(rows) > limit)


_sources: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> None:
    """Add a source (from the module's AppConfig.ready()). Registering the same object again is
    a no-op; another source under a taken key is refused, so two modules cannot shadow each other."""
    existing = _sources.get(source.key)
    if existing is not None and existing is not source:
        raise ValueError(f"a search source {source.key!r} is already registered ({existing.model.__name__})")
    _sources[source.key] = source


def unregister_search_source(key: str) -> None:
    """Remove a source (tests that register their own)."""
    _sources.pop(key, None)


def search_sources(keys: Iterable[str] | None = None) -> list[SearchSource]:
    """The registered sources in display order; ``keys`` picks some (unknown keys are ignored,
    so a stale facet in a URL selects nothing rather than failing)."""
    chosen = _sources.values() if keys is None else [_sources[k] for k in dict.fromkeys(keys) if k in _sources]
    return sorted(chosen, key=lambda source: (source.order, source.key))


def search_source(key: str) -> SearchSource | None:
    return _sources.get(key)


def search_everywhere(user, text: str, *, limit: int = 10, keys: Iterable[str] | None = None) -> list[SourceResults]:
    """Search every registered source (or those in ``keys``) for ``text`` as ``user``.

    Returns one SourceResults per source, in display order, each with at most ``limit`` hits,
    newest first, and whether more exist; no source is counted in full. Each source applies its
    own permissions, so a record the user may not see is never a hit. An empty text returns [].
    Costs per source: the planner's probes (one bounded query per field) plus one query for the
    hits; ``select_related`` keeps titles and summaries free of further queries.
    """
    if not 1 <= limit <= MAX_HITS_PER_SOURCE:
        raise ValueError(f"limit must be between 1 and {MAX_HITS_PER_SOURCE}")
    if not clean_text(text):
        return []
    return [source.search(user, text, limit=limit) for source in search_sources(keys)]


def newest_first(results: Iterable[SourceResults], *, limit: int | None = None) -> list[SearchHit]:
    """All hits of several sources merged into one timeline, newest first. A date without a time
    counts as the start of that day in the company time zone; undated hits come last."""
    hits = [hit for result in results for hit in result.hits]
    hits.sort(key=lambda hit: _moment(hit.when), reverse=True)
    return hits if limit is None else hits[:limit]


def _moment(when) -> float:
    if when is None:
        return float("-inf")
    if not isinstance(when, datetime):
        when = datetime.combine(when, time.min)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when.timestamp()
