"""Which fields each message kind shows, and how private each is.

Filled by ``blocks.shows(kinds=…, <field>=<class>, …)`` when a module's block builders are
imported; a kind may be a pattern (``tickets.sla_*``) and may be built by several builders
(a main message and its thread notes): the kind shows the union of their fields, each at
its most private declaration. A kind nobody declared is treated as sensitive (fail closed).
"""

import importlib
import importlib.util
from collections.abc import Callable
from fnmatch import fnmatchcase

from integrations.slack.core.privacy.classes import RANK, PrivacyClass, highest

_builders: dict[str, list[Callable]] = {}


def declare(kind: str, builder: Callable) -> None:
    builders = _builders.setdefault(kind, [])
    if builder not in builders:
        builders.append(builder)


def load_all() -> None:
    """Import every Slack module's package pieces, so a worker knows every declaration.

    The same discovery as core/modules.py (one package per installed app label), by name:
    this module must not import the module kit, which imports the delivery that uses it.
    """
    from django.apps import apps

    for app_config in apps.get_app_configs():
        for name in ("module", "blocks", "jobs", "receivers"):
            path = f"integrations.slack.{app_config.label}.{name}"
            try:
                found = importlib.util.find_spec(path) is not None
            except ModuleNotFoundError:
                found = False
            if found:
                importlib.import_module(path)


def declared_kinds() -> list[str]:
    load_all()
    return sorted(_builders)


def builders_of(kind: str) -> list[Callable]:
    """The builders declared for ``kind``: exact matches, else every matching pattern."""
    if kind in _builders:
        return list(_builders[kind])
    return [b for pattern, builders in _builders.items() if fnmatchcase(kind, pattern) for b in builders]


def fields_of(kind: str) -> dict[str, str] | None:
    """field → privacy class for ``kind``; None when the kind is not declared."""
    builders = builders_of(kind)
    if not builders:
        load_all()
        builders = builders_of(kind)
    if not builders:
        return None
    fields: dict[str, str] = {}
    for builder in builders:
        for name, privacy in getattr(builder, "field_privacy", {}).items():
            if name not in fields or RANK[privacy] > RANK[fields[name]]:
                fields[name] = privacy
    return fields


def message_class(kind: str) -> str:
    """The most private field ``kind`` shows; SENSITIVE for an undeclared kind."""
    fields = fields_of(kind)
    if fields is None:
        return PrivacyClass.SENSITIVE
    return highest(fields.values())
