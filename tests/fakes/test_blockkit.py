"""Unit tests for the stand-in's Block Kit validator (tests/fakes/slack_api/blockkit.py).

Each limit is checked on both sides: exactly at Slack's limit passes, one over is refused
with Slack's wording and a JSON pointer to the offending value.
"""

from __future__ import annotations

import pytest

from .slack_api.blockkit import message_problems, view_problems


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def section(text: str = "본문", **extra) -> dict:
    return {"type": "section", "text": mrkdwn(text), **extra}


def button(text: str = "확인", **extra) -> dict:
    return {"type": "button", "text": plain(text), "action_id": "ok", **extra}


def option(text: str = "선택", value: str = "v") -> dict:
    return {"text": plain(text), "value": value}


def select(options: list[dict], **extra) -> dict:
    return {"type": "static_select", "action_id": "pick", "options": options, **extra}


def actions(*elements: dict) -> dict:
    return {"type": "actions", "elements": list(elements)}


def modal(blocks: list[dict] | None = None, **extra) -> dict:
    return {"type": "modal", "title": plain("티켓 등록"), "blocks": blocks or [], **extra}


def inputs(label: str = "제목", element: dict | None = None) -> dict:
    element = element or {"type": "plain_text_input", "action_id": "title"}
    return {"type": "input", "block_id": "title", "label": plain(label), "element": element}


def problem(message: str, pointer: str) -> list[str]:
    return [f"{message} [json-pointer:{pointer}]"]


def unique_buttons(count: int) -> list[dict]:
    return [button(action_id=f"b{i}") for i in range(count)]


def test_a_well_formed_message_has_no_problems():
    blocks = [
        {"type": "header", "text": plain("INC-7 메일 서버 장애")},
        section("*설명*", fields=[mrkdwn("*우선순위*\nP1")], accessory=button(value="7")),
        {
            "type": "context",
            "elements": [mrkdwn("INC-7 · 접수"), {"type": "image", "image_url": "https://x/a.png", "alt_text": "a"}],
        },
        {"type": "divider"},
        actions(button(style="primary"), select([option()], action_id="status")),
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "x"}]}]},
    ]
    assert message_problems(blocks) == []


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        ([section()] * 51, problem("no more than 50 items allowed", "/blocks")),
        ([section("가" * 3001)], problem("must be less than 3001 characters", "/blocks/0/text/text")),
        (
            [{"type": "section", "fields": [mrkdwn("f")] * 11}],
            problem("no more than 10 items allowed", "/blocks/0/fields"),
        ),
        (
            [{"type": "section", "fields": [mrkdwn("가" * 2001)]}],
            problem("must be less than 2001 characters", "/blocks/0/fields/0/text"),
        ),
        ([{"type": "section"}], problem("must provide either text or fields", "/blocks/0")),
        (
            [{"type": "header", "text": plain("제" * 151)}],
            problem("must be less than 151 characters", "/blocks/0/text/text"),
        ),
        (
            [{"type": "header", "text": mrkdwn("*제목*")}],
            problem("must be a valid enum value (plain_text)", "/blocks/0/text/type"),
        ),
        ([actions(*unique_buttons(26))], problem("no more than 25 items allowed", "/blocks/0/elements")),
        ([actions()], problem("must provide at least 1 items", "/blocks/0/elements")),
        (
            [actions(button("버" * 76))],
            problem("must be less than 76 characters", "/blocks/0/elements/0/text/text"),
        ),
        (
            [actions(button(value="v" * 2001))],
            problem("must be less than 2001 characters", "/blocks/0/elements/0/value"),
        ),
        (
            [actions({**button(), "text": mrkdwn("*확인*")})],
            problem("must be a valid enum value (plain_text)", "/blocks/0/elements/0/text/type"),
        ),
        (
            [actions(button(style="warning"))],
            problem("must be a valid enum value", "/blocks/0/elements/0/style"),
        ),
        (
            [actions(select([option("옵" * 76)]))],
            problem("must be less than 76 characters", "/blocks/0/elements/0/options/0/text/text"),
        ),
        (
            [actions(select([option(value="v" * 151)]))],
            problem("must be less than 151 characters", "/blocks/0/elements/0/options/0/value"),
        ),
        (
            [actions(select([{"text": mrkdwn("*굵게*"), "value": "v"}]))],
            problem("must be a valid enum value (plain_text)", "/blocks/0/elements/0/options/0/text/type"),
        ),
        (
            [actions(select([option(value=str(i)) for i in range(101)]))],
            problem("no more than 100 items allowed", "/blocks/0/elements/0/options"),
        ),
        (
            [actions({"type": "static_select", "action_id": "pick"})],
            problem("must provide an array", "/blocks/0/elements/0/options"),
        ),
        (
            [actions(button(action_id="a" * 256))],
            problem("must be less than 256 characters", "/blocks/0/elements/0/action_id"),
        ),
        ([section(block_id="b" * 256)], problem("must be less than 256 characters", "/blocks/0/block_id")),
        ([section("")], problem("must be more than 0 characters", "/blocks/0/text/text")),
        (
            [{"type": "context", "elements": [plain("")]}],
            problem("must be more than 0 characters", "/blocks/0/elements/0/text"),
        ),
        (
            [{"type": "context", "elements": [mrkdwn("c")] * 11}],
            problem("no more than 10 items allowed", "/blocks/0/elements"),
        ),
        ([{"type": "sectoin"}], problem("must be a valid enum value", "/blocks/0/type")),
        ([section(block_id="x"), section(block_id="x")], problem("duplicate block_id", "/blocks/1/block_id")),
        ([actions(button(), button())], problem("duplicate action_id", "/blocks/0/elements/1/action_id")),
        ([{"type": "section", "text": "문자열"}], problem("must provide an object", "/blocks/0/text")),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": 7}}],
            problem("must provide a string", "/blocks/0/text/text"),
        ),
    ],
)
def test_message_limits_are_refused_with_a_pointer(blocks, expected):
    assert message_problems(blocks) == expected


def test_every_limit_is_inclusive():
    blocks = [section("가" * 3000, block_id="b" * 255)] * 1 + [
        {"type": "header", "text": plain("제" * 150)},
        {"type": "section", "fields": [mrkdwn("가" * 2000)] * 10},
        actions(*unique_buttons(24), button("버" * 75, action_id="a" * 255, value="v" * 2000)),
        actions(select([option("옵" * 75, "v" * 150)] + [option(value=str(i)) for i in range(99)])),
        {"type": "context", "elements": [mrkdwn("c")] * 10},
    ]
    blocks += [section()] * (50 - len(blocks))
    assert message_problems(blocks) == []


def test_checkbox_options_may_be_mrkdwn_but_select_options_may_not():
    boxes = {"type": "checkboxes", "action_id": "c", "options": [{"text": mrkdwn("*굵게*"), "value": "v"}]}
    assert message_problems([actions(boxes)]) == []


def test_input_block_needs_a_plain_text_label_and_an_element():
    assert view_problems(modal([inputs()], submit=plain("등록"))) == []
    label = modal([{**inputs(), "label": mrkdwn("*제목*")}], submit=plain("등록"))
    assert view_problems(label) == problem("must be a valid enum value (plain_text)", "/view/blocks/0/label/type")
    bare = modal([{"type": "input", "label": plain("제목")}], submit=plain("등록"))
    assert view_problems(bare) == problem("missing required field: element", "/view/blocks/0")


def test_a_modal_with_inputs_needs_a_submit_button():
    assert view_problems(modal([inputs()])) == problem(
        "missing required field: submit (required when the view has input blocks)", "/view"
    )


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (modal([section()] * 101), problem("no more than 100 items allowed", "/view/blocks")),
        (modal(title=plain("가" * 25)), problem("must be less than 25 characters", "/view/title/text")),
        (modal(title=mrkdwn("제목")), problem("must be a valid enum value (plain_text)", "/view/title/type")),
        ({"type": "modal", "blocks": []}, problem("missing required field: title", "/view")),
        (modal(submit=plain("가" * 25)), problem("must be less than 25 characters", "/view/submit/text")),
        (modal(close=plain("가" * 25)), problem("must be less than 25 characters", "/view/close/text")),
        (modal(close=plain("")), problem("must be more than 0 characters", "/view/close/text")),
        (modal(private_metadata="m" * 3001), problem("must be less than 3001 characters", "/view/private_metadata")),
        (modal(callback_id="c" * 256), problem("must be less than 256 characters", "/view/callback_id")),
        ({"type": "modal", "title": plain("제목")}, problem("must provide an array", "/view/blocks")),
        ({**modal(), "type": "home"}, []),  # a home view may have no title
    ],
)
def test_view_limits_are_refused_with_a_pointer(view, expected):
    assert view_problems(view) == expected


def test_view_limits_are_inclusive():
    view = modal(
        [section()] * 100,
        title=plain("가" * 24),
        submit=plain("나" * 24),
        close=plain("다" * 24),
        private_metadata="m" * 3000,
        callback_id="c" * 255,
    )
    assert view_problems(view) == []


def test_view_type_must_suit_the_method():
    assert view_problems(modal(), ("home",)) == problem("must be a valid enum value (home)", "/view/type")
    assert view_problems("not a view") == problem("must provide an object", "/view")


def test_problems_in_nested_elements_are_all_reported():
    blocks = [section("가" * 3001, accessory=button("버" * 76)), {"type": "header", "text": plain("")}]
    assert message_problems(blocks) == [
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        "must be less than 76 characters [json-pointer:/blocks/0/accessory/text/text]",
        "must be more than 0 characters [json-pointer:/blocks/1/text/text]",
    ]
