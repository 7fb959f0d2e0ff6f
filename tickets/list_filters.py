"""The list page's URL handling: short shareable URLs, the active-filter chips, view links.

A submitted filter form sends every field, most of them empty (``?impact=&urgency=…``);
``clean_query`` gives the same list's short URL, which the view redirects to.
"""

from django.http import QueryDict
from django.utils.translation import gettext as _

from .models import Status

# What the list's bulk bar may set (resolving and closing need a text: the ticket page does them).
BULK_STATUSES = (Status.IN_PROGRESS, Status.PENDING)
NEUTRAL = {"", "unknown"}  # an empty choice; "unknown" is the sensitive filter's "any"


def _neutral(key: str, value: str) -> bool:
    return value == "" or (key == "sensitive" and value == "unknown")


def clean_query(params: QueryDict) -> str | None:
    """The query without empty values, or None when it has none to drop."""
    kept = [(key, value) for key, values in params.lists() for value in values if not _neutral(key, value)]
    if len(kept) == sum(len(values) for _key, values in params.lists()):
        return None
    clean = QueryDict(mutable=True)
    for key, value in kept:
        clean.appendlist(key, value)
    return clean.urlencode()


def _without(params: QueryDict, name: str, value: str | None = None) -> str:
    rest = params.copy()
    rest.pop("cursor", None)
    if value is None:
        rest.pop(name, None)
    else:
        rest.setlist(name, [v for v in rest.getlist(name) if v != value])
    return rest.urlencode()


def active_filters(controls, params: QueryDict) -> list[dict]:
    """One chip per chosen value ({"label", "value", "remove"}): what narrows the list now."""
    chips = []
    if params.get("q"):
        chips.append({"label": _("Search"), "value": params["q"], "remove": _without(params, "q")})
    for control in controls:
        name = control["name"]
        if control["kind"] == "select":
            for value, label, selected in control["choices"]:
                if selected and value not in NEUTRAL:
                    chips.append({"label": control["label"], "value": label, "remove": _without(params, name, value)})
        elif control["kind"] == "range":
            for input_name, value in control["inputs"]:
                if value:
                    chips.append({"label": control["label"], "value": value, "remove": _without(params, input_name)})
        elif control.get("value"):
            chips.append({"label": control["label"], "value": control["value"], "remove": _without(params, name)})
    return chips


def view_url(params: QueryDict, key: str) -> str:
    """The list in view ``key`` with the same filters and sort, from the first page."""
    rest = params.copy()
    rest.pop("cursor", None)
    rest["view"] = key
    return rest.urlencode()
