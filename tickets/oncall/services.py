"""Writes to the on-call roster, each validated and audited.

Who is paged for a P1 at 3 a.m. is decided here, so every change is on record. Changes to
a rotation's members and overrides are recorded on the rotation itself (``member_added``,
``override_removed`` …, with the entry named in the context): the roster's history reads
as one trail on its admin page. Deleting a rotation records its members as they were.
"""

from erp.audit.services import audited_delete, audited_save

from .models import OnCallMember, OnCallOverride, OnCallRotation

MEMBER_FIELDS = ("employee", "position")
OVERRIDE_FIELDS = ("employee", "starts_at", "ends_at", "reason")


def oncall_rotation_save(*, rotation: OnCallRotation, by) -> OnCallRotation:
    """Create or change a group's rotation (anchor week, handoff time, active)."""
    return audited_save(rotation, by=by, validate=True)


def oncall_rotation_delete(*, rotation: OnCallRotation, by) -> None:
    """Delete a rotation with its members and overrides; the group then has nobody on call."""
    members = [str(member) for member in rotation.members.select_related("employee")]
    audited_delete(rotation, by=by, members=members)


def oncall_member_save(*, member: OnCallMember, by) -> OnCallMember:
    """Add someone to a rotation, or move them in its order."""
    return audited_save(
        member,
        by=by,
        fields=MEMBER_FIELDS,
        validate=True,
        on=member.rotation,
        actions=("member_added", "member_changed"),
        member=str(member),
    )


def oncall_member_delete(*, member: OnCallMember, by) -> None:
    audited_delete(member, by=by, fields=MEMBER_FIELDS, on=member.rotation, action="member_removed", member=str(member))


def oncall_override_save(*, override: OnCallOverride, by) -> OnCallOverride:
    """Add or change a period someone else covers (the end must be after the start)."""
    return audited_save(
        override,
        by=by,
        fields=OVERRIDE_FIELDS,
        validate=True,
        on=override.rotation,
        actions=("override_added", "override_changed"),
        override=str(override),
    )


def oncall_override_delete(*, override: OnCallOverride, by) -> None:
    audited_delete(
        override,
        by=by,
        fields=OVERRIDE_FIELDS,
        on=override.rotation,
        action="override_removed",
        override=str(override),
    )
