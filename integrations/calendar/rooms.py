"""Import a Workspace's meeting rooms (Admin SDK Directory API, resources.calendars.list).

Each CONFERENCE_ROOM resource becomes a Room (name, floor, capacity, features as equipment,
the resource e-mail as its Google calendar) with an active Google CalendarSource, so the
next poll starts syncing it. Re-running updates what the directory changed and adds only
what is new: a room is matched by its resource e-mail, else by its name (an existing room
that had no calendar yet is linked, not duplicated). Rooms the directory no longer lists
are left alone (an admin deactivates them; their history stays). Every write is audited
through the rooms' configuration service.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction

from meetings.models import CalendarSource, Room, SourceKind
from meetings.services.config import calendar_source_save, room_save

from .credentials import google_call

MAX_PAGES = 100
CONFERENCE_ROOM = "CONFERENCE_ROOM"


@dataclass
class RoomImport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # (resource name, why)


def _directory_url() -> str:
    base = getattr(settings, "GOOGLE_DIRECTORY_API_URL", "https://admin.googleapis.com/admin/directory/v1")
    customer = getattr(settings, "GOOGLE_WORKSPACE_CUSTOMER", "") or "my_customer"
    return f"{base.rstrip('/')}/customer/{customer}/resources/calendars"


def directory_rooms() -> list[dict]:
    """Every calendar resource of the Workspace, following nextPageToken."""
    resources, page_token = [], ""
    for _page in range(MAX_PAGES):
        query = {"maxResults": 500, **({"pageToken": page_token} if page_token else {})}
        body = google_call("GET", f"{_directory_url()}?{urlencode(query)}").json()
        resources.extend(body.get("items") or [])
        page_token = body.get("nextPageToken") or ""
        if not page_token:
            break
    return resources


def _equipment(resource: dict) -> str:
    names = [((item.get("feature") or {}).get("name") or "").strip() for item in resource.get("featureInstances") or []]
    return ", ".join(name for name in names if name)[:200]


def _fields(resource: dict) -> dict:
    return {
        "floor": (resource.get("floorName") or "").strip()[:40] or "—",
        "capacity": max(0, min(int(resource.get("capacity") or 0), 32767)),
        "equipment": _equipment(resource),
    }


def _room_for(email: str, name: str) -> Room | None:
    return (
        Room.objects.filter(google_resource_email__iexact=email).first()
        or Room.objects.filter(name=name, google_resource_email="").first()
    )


def _free_name(name: str, resource: dict) -> str:
    """The directory's name, or its generated full name when another room already has it."""
    if not Room.objects.filter(name=name).exists():
        return name
    return (resource.get("generatedResourceName") or f"{name} ({resource.get('resourceEmail', '')})")[:100]


def import_rooms(*, by, resources: list[dict] | None = None) -> RoomImport:
    """Create or update the rooms of the directory (raises CalendarHTTPError when it cannot be read)."""
    result = RoomImport()
    for resource in directory_rooms() if resources is None else resources:
        name = (resource.get("resourceName") or "").strip()[:100]
        email = (resource.get("resourceEmail") or "").strip()
        if resource.get("resourceCategory", CONFERENCE_ROOM) != CONFERENCE_ROOM:
            result.skipped.append((name, "not a conference room"))
            continue
        if not name or not email:
            result.skipped.append((name or email, "no name or e-mail"))
            continue
        with transaction.atomic():
            room = _room_for(email, name)
            wanted = _fields(resource)
            if room is None:
                room = Room(name=_free_name(name, resource), google_resource_email=email, **wanted)
                room = room_save(room=room, by=by)
                result.created.append(room)
            elif room.google_resource_email != email or any(getattr(room, k) != v for k, v in wanted.items()):
                room.google_resource_email = email
                for key, value in wanted.items():
                    setattr(room, key, value)
                result.updated.append(room_save(room=room, by=by))
            else:
                result.unchanged += 1
            if not CalendarSource.objects.filter(room=room, kind=SourceKind.GOOGLE, address=email).exists():
                calendar_source_save(source=CalendarSource(room=room, kind=SourceKind.GOOGLE, address=email), by=by)
    return result
