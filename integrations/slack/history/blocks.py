"""Block Kit for the search command's answer: pure, objects in, dicts out."""

from django.utils.translation import gettext as _

from integrations.slack.core.blocks import context, divider, link, portal_url, safe_mrkdwn, section


def hits_blocks(title: str, groups, everything_url: str) -> list[dict]:
    """One section per module: its label, capped count and first hits as links."""
    blocks = [section(f"*{title}*")]
    for group in groups:
        lines = [f"*{safe_mrkdwn(str(group.source.label), 80)}* · {group.count.found}"]
        lines += [f"• {link(portal_url(hit.url), hit.title)}" for hit in group.hits]
        blocks += [divider(), section("\n".join(lines))]
    blocks.append(context(link(everything_url, _("All results on the portal"))))
    return blocks
