"""Querysets whose SQL is compiled once per process, for the reads every request repeats.

Django turns a queryset into SQL on every evaluation, and for a join with trimmed columns that
compilation costs more Python than the database spends answering (bench/README.md, Slack
section: 1.2 of the 1.85 ms of the ticket-detail query; a raw execute of the same SQL 0.25 ms).
A ``PreparedQuery`` builds its queryset once with placeholder values, keeps the SQL and where
each placeholder landed among the parameters, and afterwards only binds the caller's values,
executes, and builds model instances the way ``QuerySet.__iter__`` does (select_related
included), so callers get the same objects as from the ORM.

For a fixed *shape* only: ``build`` must produce the same SQL whatever values it is given, and
each value must reach the SQL as one bound parameter, unchanged (``field=value``,
``field_id=value``, not ``__icontains`` or anything that rewrites it). Nothing time-dependent
(``timezone.now()``) inside ``build``: it would be frozen at the first call. A query whose
shape depends on data (a filter added only for some users) is one PreparedQuery per shape,
chosen by the caller. A placeholder that does not come out unchanged fails loudly on first use.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Placeholders nobody's data holds: a negative id beyond any sequence, a string with control
# characters. Only compiled, never sent to the database.
_INT_PLACEHOLDER = -(10**15)


def _placeholder(kind: type, index: int):
    if kind is int:
        return _INT_PLACEHOLDER - index
    if kind is str:
        return f"\x1fprepared-{index}\x1f"
    if kind is list:  # a list of ids, bound as one array (``field__in_array=``, PostgreSQL)
        return [_INT_PLACEHOLDER - index]
    raise TypeError(f"PreparedQuery parameters are int, str or list, not {kind!r}")


@dataclass(frozen=True)
class _Compiled:
    vendor: str
    sql: str
    params: tuple
    slots: tuple[tuple[int, ...], ...]  # for each caller value, the positions it fills
    compiler: object  # the SQLCompiler that produced ``sql``: its select / klass_info map the rows

    def bind(self, values) -> list:
        return _bind(self.params, self.slots, values)


class PreparedQuery:
    """``build(*values) -> QuerySet`` compiled once; ``all(*values)`` / ``get(*values)`` run it.

    ``kinds`` are the types of the values (int, str, or list for ``field__in_array=``), one per
    argument of ``build``.
    """

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def all(self, *values) -> list:
        """The model instances the queryset ``build(*values)`` would give."""
        return self._run(self._get_compiled("all"), values)

    def get(self, *values):
        """The one instance, as ``QuerySet.get`` (DoesNotExist / MultipleObjectsReturned)."""
        compiled = self._get_compiled("get")
        found = self._run(compiled, values)
        model = compiled.compiler.query.model
        if not found:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        if len(found) > 1:
            raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}.")
        return found[0]

    # --- compiling -------------------------------------------------------------------------
    def _get_compiled(self, mode: str) -> _Compiled:
        compiled = self._compiled.get(mode)
        # A test run may switch databases under the process: SQL is per database vendor.
        if compiled is None or compiled.vendor != connections[compiled.compiler.using].vendor:
            with self._lock:
                compiled = self._compile(mode)
                self._compiled[mode] = compiled
        return compiled

    def _compile(self, mode: str) -> _Compiled:
        placeholders = [_placeholder(kind, index) for index, kind in enumerate(self._kinds)]
        queryset = self._build(*placeholders)
        if mode == "get":  # as QuerySet.get: no ordering, and two rows are enough to know
            queryset = queryset.order_by()[:2]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = _slots(sql, params, placeholders, self._build)
        vendor = connections[queryset.db].vendor
        return _Compiled(vendor=vendor, sql=sql, params=tuple(params), slots=slots, compiler=compiler)

    # --- running ---------------------------------------------------------------------------
    def _run(self, compiled: _Compiled, values) -> list:
        compiler = compiled.compiler
        db = compiler.using
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, compiled.bind(values))
            fetched = cursor.fetchall()
        return _instances(compiler, fetched, db)


class PreparedSQL:
    """Raw SQL that ``build(*values) -> (sql, params)`` composes from querysets, composed once.

    For SQL a module assembles itself around compiled querysets (the search planner's probes):
    the same rules as PreparedQuery; ``bind(*values)`` gives the SQL and its parameters.
    """

    def __init__(self, build: Callable[..., tuple[str, list]], *kinds: type):
        self._build = build
        self._kinds = kinds
        self._composed: tuple | None = None

    def bind(self, *values) -> tuple[str, list]:
        composed = self._composed
        if composed is None:
            placeholders = [_placeholder(kind, index) for index, kind in enumerate(self._kinds)]
            sql, params = self._build(*placeholders)
            composed = self._composed = (sql, tuple(params), _slots(sql, params, placeholders, self._build))
        sql, params, slots = composed
        return sql, _bind(params, slots, values)


def _slots(sql: str, params, placeholders: list, build) -> tuple[tuple[int, ...], ...]:
    """For each placeholder, the positions it fills among ``params`` (ValueError if none)."""
    slots = []
    for placeholder in placeholders:
        positions = tuple(i for i, param in enumerate(params) if _same(param, placeholder))
        if not positions or (isinstance(placeholder, str) and placeholder in sql):
            raise ValueError(f"Prepared SQL: a value of {build!r} does not reach the SQL as a parameter")
        slots.append(positions)
    return tuple(slots)


def _bind(params: tuple, slots, values) -> list:
    bound = list(params)
    for positions, value in zip(slots, values, strict=True):
        for position in positions:
            bound[position] = value
    return bound


def _same(param, placeholder) -> bool:
    return type(param) is type(placeholder) and param == placeholder


def _instances(compiler, fetched: list, db: str) -> list:
    """Model instances from rows of ``compiler``'s SQL, as django.db.models.query.ModelIterable."""
    select, klass_info = compiler.select, compiler.klass_info
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    related_populators = get_related_populators(klass_info, select, db)
    annotations = compiler.annotation_col_map
    objects = []
    for row in compiler.results_iter(results=[fetched]):
        obj = model_cls.from_db(db, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        for name, position in (annotations or {}).items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects
