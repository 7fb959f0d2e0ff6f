"""Which employee a device's identifier stands for (ingest and the held-punch review use it)."""

from django.db.models import Q

from erp.people.models import Employee

from ..models import Device, DeviceIdentifier


def match_identifiers(device: Device, identifiers: set[str]) -> dict[str, int]:
    """identifier → employee id: device mapping, then global mapping, then the employee number."""
    matched: dict[str, int] = {}
    if not identifiers:
        return matched
    mappings = DeviceIdentifier.objects.filter(Q(device=device) | Q(device=None), identifier__in=identifiers)
    # Device-specific mappings win over global ones: apply globals first, then overwrite.
    for identifier, employee_id, _device_id in sorted(
        mappings.values_list("identifier", "employee_id", "device_id"), key=lambda row: row[2] is not None
    ):
        matched[identifier] = employee_id
    rest = identifiers - matched.keys()
    if rest:
        for number, employee_id in Employee.objects.filter(employee_no__in=rest, user__is_active=True).values_list(
            "employee_no", "id"
        ):
            matched[number] = employee_id
    return matched
