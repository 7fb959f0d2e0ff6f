"""The permission matrix (role × sensitive × action) shared by the service, UI, API and admin tests.

The ticket is in the infra group, requested by ``requester`` (dev staff) and assigned to
``agent2``. Roles: see conftest.people; "assignee" is agent2.
"""

ROLES = ["requester", "colleague", "agent", "assignee", "manager", "other_agent", "other_manager", "admin"]
ACTIONS = ["view", "edit", "assign", "status", "comment", "internal_note", "escalate", "close"]

# role: (may see the non-sensitive ticket, may see the sensitive one)
VIEW = {
    "requester": (True, True),
    "colleague": (False, False),
    "agent": (True, False),
    "assignee": (True, True),
    "manager": (True, True),
    "other_agent": (False, False),
    "other_manager": (True, False),  # manager of the requester's department
    "admin": (True, True),
}
# role: (may handle the non-sensitive ticket, the sensitive one): assign, status, notes, escalate
HANDLE = {
    "requester": (False, False),
    "colleague": (False, False),
    "agent": (True, False),
    "assignee": (True, True),
    "manager": (True, True),
    "other_agent": (False, False),
    "other_manager": (False, False),
    "admin": (True, True),
}


def expected(role: str, sensitive: bool, action: str) -> str:
    """ "ok", "forbidden" (visible but not allowed) or "hidden" (looks missing)."""
    visible = VIEW[role][sensitive]
    if not visible:
        return "hidden"
    handles = HANDLE[role][sensitive]
    if action in ("view", "comment"):
        allowed = True
    elif action in ("edit", "close"):
        allowed = handles or role == "requester"
    else:
        allowed = handles
    return "ok" if allowed else "forbidden"


def user_for(people, role):
    return people["agent2"] if role == "assignee" else people["admin" if role == "admin" else role]


CASES = [(role, sensitive, action) for role in ROLES for sensitive in (False, True) for action in ACTIONS]
