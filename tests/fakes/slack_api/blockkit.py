"""Block Kit validation: what Slack refuses with ``invalid_blocks`` (messages) or
``invalid_arguments`` (views), so a builder that breaks a limit fails in tests, not in production.

The rules are Slack's documented limits (shared/SLACK.md, Slack's Block Kit reference):
block counts, text lengths, plain_text-only places, id lengths, option counts. Each problem
is reported the way Slack words it, with a JSON pointer to the offending value, e.g.
``must be less than 151 characters [json-pointer:/blocks/0/text/text]``.

Pure functions over decoded JSON; no HTTP here (see contract.py for the method checks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
ID_MAX = 255
PRIVATE_METADATA_MAX = 3000
VIEW_BUTTON_MAX = 24  # modal title, submit and close

PLAIN = ("plain_text",)
ANY_TEXT = ("plain_text", "mrkdwn")


@dataclass(frozen=True)
class _Text:
    """A text-object field: its length limit, allowed types and whether it must be there."""

    limit: int
    types: tuple[str, ...] = ANY_TEXT
    required: bool = False


@dataclass(frozen=True)
class _Spec:
    """What one block or element type accepts; anything not listed is not checked."""

    texts: dict[str, _Text] = field(default_factory=dict)
    strings: dict[str, int] = field(default_factory=dict)  # plain string fields -> max chars
    required: tuple[str, ...] = ()
    options: tuple[int, int] | None = None  # (min, max) when the element carries options
    option_types: tuple[str, ...] = PLAIN  # text types allowed in its options
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)


_PLACEHOLDER = {"placeholder": _Text(150, PLAIN)}
_ACTION = {"action_id": ID_MAX}
_SELECT = _Spec(texts=_PLACEHOLDER, strings=_ACTION)
_INPUT = _Spec(texts=_PLACEHOLDER, strings=_ACTION)

ELEMENTS: dict[str, _Spec] = {
    "button": _Spec(
        texts={"text": _Text(75, PLAIN, required=True)},
        strings={**_ACTION, "value": 2000, "url": 3000, "accessibility_label": 75},
        enums={"style": ("primary", "danger")},
    ),
    "static_select": _Spec(texts=_PLACEHOLDER, strings=_ACTION, options=(1, 100)),
    "multi_static_select": _Spec(texts=_PLACEHOLDER, strings=_ACTION, options=(1, 100)),
    "overflow": _Spec(strings=_ACTION, options=(1, 5)),
    "checkboxes": _Spec(strings=_ACTION, options=(1, 10), option_types=ANY_TEXT),
    "radio_buttons": _Spec(strings=_ACTION, options=(1, 10), option_types=ANY_TEXT),
    "number_input": _Spec(texts=_PLACEHOLDER, strings=_ACTION, required=("is_decimal_allowed",)),
    "image": _Spec(strings={"image_url": 3000, "alt_text": 2000}, required=("alt_text",)),
    **{
        kind: _SELECT
        for kind in (
            "external_select",
            "multi_external_select",
            "users_select",
            "multi_users_select",
            "conversations_select",
            "multi_conversations_select",
            "channels_select",
            "multi_channels_select",
        )
    },
    **{
        kind: _INPUT
        for kind in (
            "plain_text_input",
            "email_text_input",
            "url_text_input",
            "datepicker",
            "timepicker",
            "datetimepicker",
            "rich_text_input",
            "file_input",
            "workflow_button",
        )
    },
}

BLOCKS: dict[str, _Spec] = {
    "section": _Spec(texts={"text": _Text(3000)}),
    "header": _Spec(texts={"text": _Text(150, PLAIN, required=True)}),
    "divider": _Spec(),
    "context": _Spec(),  # elements: counted in block_context
    "actions": _Spec(),
    "input": _Spec(
        texts={"label": _Text(2000, PLAIN, required=True), "hint": _Text(2000, PLAIN)}, required=("element",)
    ),
    "image": _Spec(
        texts={"title": _Text(2000, PLAIN)}, strings={"image_url": 3000, "alt_text": 2000}, required=("alt_text",)
    ),
    "markdown": _Spec(strings={"text": 12000}, required=("text",)),
    "rich_text": _Spec(required=("elements",)),
    "file": _Spec(required=("external_id", "source")),
    "video": _Spec(required=("alt_text", "title", "thumbnail_url", "video_url")),
}

_CONFIRM = {
    "title": _Text(100, PLAIN, required=True),
    "text": _Text(300, required=True),
    "confirm": _Text(30, PLAIN, required=True),
    "deny": _Text(30, PLAIN, required=True),
}
_OPTION_VALUE_MAX = 150
_OPTION_TEXT_MAX = 75
_SECTION_FIELDS = (10, 2000)  # at most 10 fields of at most 2000 characters
_CONTEXT_ELEMENTS = 10
_ACTION_ELEMENTS = 25


class _Checker:
    """Collects problems in Slack's wording while walking one payload."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, pointer: str, message: str) -> None:
        self.problems.append(f"{message} [json-pointer:{pointer}]")

    def string(self, pointer: str, value: object, limit: int, *, minimum: int = 0) -> None:
        if not isinstance(value, str):
            self.fail(pointer, "must provide a string")
        elif len(value) > limit:
            self.fail(pointer, f"must be less than {limit + 1} characters")
        elif len(value) < minimum:
            self.fail(pointer, f"must be more than {minimum - 1} characters")

    def text(self, pointer: str, value: object, rule: _Text) -> None:
        if not isinstance(value, dict):
            self.fail(pointer, "must provide an object")
            return
        if value.get("type") not in rule.types:
            self.fail(f"{pointer}/type", f"must be a valid enum value ({' or '.join(rule.types)})")
        self.string(f"{pointer}/text", value.get("text"), rule.limit, minimum=1)

    def items(self, pointer: str, value: object, minimum: int, maximum: int) -> list:
        if not isinstance(value, list):
            self.fail(pointer, "must provide an array")
            return []
        if len(value) > maximum:
            self.fail(pointer, f"no more than {maximum} items allowed")
        elif len(value) < minimum:
            self.fail(pointer, f"must provide at least {minimum} items")
        return value

    def spec(self, pointer: str, value: dict, spec: _Spec) -> None:
        for name in spec.required:
            if value.get(name) in (None, "", [], {}):
                self.fail(pointer, f"missing required field: {name}")
        for name, rule in spec.texts.items():
            if name in value:
                self.text(f"{pointer}/{name}", value[name], rule)
            elif rule.required:
                self.fail(pointer, f"missing required field: {name}")
        for name, limit in spec.strings.items():
            if name in value:
                self.string(f"{pointer}/{name}", value[name], limit, minimum=1)
        for name, allowed in spec.enums.items():
            if name in value and value[name] not in allowed:
                self.fail(f"{pointer}/{name}", "must be a valid enum value")
        if isinstance(value.get("confirm"), dict):
            self.spec(f"{pointer}/confirm", value["confirm"], _Spec(texts=_CONFIRM))

    # -- elements ----------------------------------------------------------

    def element(self, pointer: str, value: object) -> None:
        if not isinstance(value, dict):
            self.fail(pointer, "must provide an object")
            return
        spec = ELEMENTS.get(value.get("type"))
        if spec is None:
            self.fail(f"{pointer}/type", "must be a valid enum value")
            return
        self.spec(pointer, value, spec)
        if spec.options:
            self.element_options(pointer, value, spec)

    def element_options(self, pointer: str, value: dict, spec: _Spec) -> None:
        low, high = spec.options
        if "option_groups" in value:
            for g, group in enumerate(self.items(f"{pointer}/option_groups", value["option_groups"], 1, 100)):
                where = f"{pointer}/option_groups/{g}"
                if isinstance(group, dict):
                    self.text(f"{where}/label", group.get("label"), _Text(_OPTION_TEXT_MAX, PLAIN))
                    self.options(f"{where}/options", group.get("options"), 1, high, spec.option_types)
                else:
                    self.fail(where, "must provide an object")
        else:  # a select needs options or option_groups; the others need options
            self.options(f"{pointer}/options", value.get("options"), low, high, spec.option_types)
        if "initial_option" in value:
            self.option(f"{pointer}/initial_option", value["initial_option"], spec.option_types)
        if "initial_options" in value:
            for i, option in enumerate(self.items(f"{pointer}/initial_options", value["initial_options"], 0, high)):
                self.option(f"{pointer}/initial_options/{i}", option, spec.option_types)

    def options(self, pointer: str, value: object, low: int, high: int, types: tuple[str, ...]) -> None:
        for i, option in enumerate(self.items(pointer, value, low, high)):
            self.option(f"{pointer}/{i}", option, types)

    def option(self, pointer: str, value: object, types: tuple[str, ...]) -> None:
        if not isinstance(value, dict):
            self.fail(pointer, "must provide an object")
            return
        self.text(f"{pointer}/text", value.get("text"), _Text(_OPTION_TEXT_MAX, types))
        self.string(f"{pointer}/value", value.get("value"), _OPTION_VALUE_MAX, minimum=1)
        if "description" in value:
            self.text(f"{pointer}/description", value["description"], _Text(_OPTION_TEXT_MAX, types))
        if "url" in value:
            self.string(f"{pointer}/url", value["url"], 3000, minimum=1)

    # -- blocks ------------------------------------------------------------

    def blocks(self, pointer: str, value: object, maximum: int) -> None:
        if not isinstance(value, list):
            self.fail(pointer, "must provide an array")
            return
        if len(value) > maximum:
            self.fail(pointer, f"no more than {maximum} items allowed")
        seen: set[str] = set()
        for i, block in enumerate(value):
            self.block(f"{pointer}/{i}", block)
            block_id = block.get("block_id") if isinstance(block, dict) else None
            if isinstance(block_id, str) and block_id in seen:
                self.fail(f"{pointer}/{i}/block_id", "duplicate block_id")
            seen.add(block_id)

    def block(self, pointer: str, value: object) -> None:
        if not isinstance(value, dict):
            self.fail(pointer, "must provide an object")
            return
        kind = value.get("type")
        spec = BLOCKS.get(kind)
        if spec is None:
            self.fail(f"{pointer}/type", "must be a valid enum value")
            return
        self.spec(pointer, value, spec)
        if "block_id" in value:
            self.string(f"{pointer}/block_id", value["block_id"], ID_MAX, minimum=1)
        getattr(self, f"block_{kind}", lambda *_: None)(pointer, value)

    def block_section(self, pointer: str, value: dict) -> None:
        if "text" not in value and "fields" not in value:
            self.fail(pointer, "must provide either text or fields")
        if "fields" in value:
            count, limit = _SECTION_FIELDS
            for i, item in enumerate(self.items(f"{pointer}/fields", value["fields"], 1, count)):
                self.text(f"{pointer}/fields/{i}", item, _Text(limit))
        if "accessory" in value:
            self.element(f"{pointer}/accessory", value["accessory"])

    def block_context(self, pointer: str, value: dict) -> None:
        for i, item in enumerate(self.items(f"{pointer}/elements", value.get("elements"), 1, _CONTEXT_ELEMENTS)):
            if isinstance(item, dict) and item.get("type") == "image":
                self.element(f"{pointer}/elements/{i}", item)
            else:
                self.text(f"{pointer}/elements/{i}", item, _Text(3000))

    def block_actions(self, pointer: str, value: dict) -> None:
        elements = self.items(f"{pointer}/elements", value.get("elements"), 1, _ACTION_ELEMENTS)
        self.unique_action_ids(f"{pointer}/elements", elements)
        for i, item in enumerate(elements):
            self.element(f"{pointer}/elements/{i}", item)

    def block_input(self, pointer: str, value: dict) -> None:
        if "element" in value:
            self.element(f"{pointer}/element", value["element"])

    def unique_action_ids(self, pointer: str, elements: list) -> None:
        seen: set[str] = set()
        for i, item in enumerate(elements):
            action_id = item.get("action_id") if isinstance(item, dict) else None
            if isinstance(action_id, str) and action_id in seen:
                self.fail(f"{pointer}/{i}/action_id", "duplicate action_id")
            seen.add(action_id)


def message_problems(blocks: object) -> list[str]:
    """Why Slack would answer ``invalid_blocks`` to a message's ``blocks`` (empty: it would not)."""
    checker = _Checker()
    checker.blocks("/blocks", blocks, MESSAGE_BLOCKS)
    return checker.problems


def options_problems(body: dict) -> list[str]:
    """Why Slack would drop an external select's ``options`` / ``option_groups`` answer."""
    checker = _Checker()
    checker.element_options("", body, _Spec(options=(0, 100)))  # no match: an empty list
    return checker.problems


def view_problems(view: object, types: tuple[str, ...] = ("modal", "home")) -> list[str]:
    """Why Slack would answer ``invalid_arguments`` to a ``view`` of one of ``types``."""
    checker = _Checker()
    if not isinstance(view, dict):
        checker.fail("/view", "must provide an object")
        return checker.problems
    if view.get("type") not in types:
        checker.fail("/view/type", f"must be a valid enum value ({' or '.join(types)})")
    checker.blocks("/view/blocks", view.get("blocks"), VIEW_BLOCKS)
    for name in ("callback_id", "external_id"):
        if name in view:
            checker.string(f"/view/{name}", view[name], ID_MAX)
    if "private_metadata" in view:
        checker.string("/view/private_metadata", view["private_metadata"], PRIVATE_METADATA_MAX)
    if view.get("type") == "modal":
        _modal_texts(checker, view)
    return checker.problems


_MODAL = _Spec(
    texts={
        "title": _Text(VIEW_BUTTON_MAX, PLAIN, required=True),
        "submit": _Text(VIEW_BUTTON_MAX, PLAIN),
        "close": _Text(VIEW_BUTTON_MAX, PLAIN),
    }
)


def _modal_texts(checker: _Checker, view: dict) -> None:
    checker.spec("/view", view, _MODAL)
    blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
    has_input = any(isinstance(block, dict) and block.get("type") == "input" for block in blocks)
    if has_input and "submit" not in view:
        checker.fail("/view", "missing required field: submit (required when the view has input blocks)")
