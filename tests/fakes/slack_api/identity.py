"""Who the fake Slack workspace is, and the token it accepts by default."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TOKEN = "xoxb-test-token"


@dataclass(frozen=True)
class Identity:
    """Who the fake workspace and its bot are; shared with the payload builders."""

    team_id: str = "TFAKETEAM1"
    team_domain: str = "fake-workspace"
    team_name: str = "Fake Workspace"
    bot_user_id: str = "UFAKEBOT01"
    bot_id: str = "BFAKEBOT01"
    bot_name: str = "fake-bot"
    api_app_id: str = "AFAKEAPP01"


DEFAULT_IDENTITY = Identity()
