"""The App Home tab: pure functions assembling sections into a "home" view."""

from integrations.slack.core.blocks import context, divider, header, safe_mrkdwn, section

MAX_HOME_BLOCKS = 100


def home_view(sections: list[list[dict]], *, greeting: str) -> dict:
    """Sections in order, separated by dividers, clipped to Slack's 100 blocks per view."""
    blocks = [header(greeting)]
    for blocks_of_section in sections:
        if not blocks_of_section:
            continue
        blocks.append(divider())
        blocks.extend(blocks_of_section)
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = blocks[: MAX_HOME_BLOCKS - 1] + [context("…")]
    return {"type": "home", "blocks": blocks}


def refusal_home(text: str) -> dict:
    """What an unknown user or a guest sees in the Home tab."""
    return {"type": "home", "blocks": [section(safe_mrkdwn(text))]}
