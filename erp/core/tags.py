"""Tags stored in one text column as ",a,b," (so ``tags__contains=",a,"`` finds one exactly).

Tickets and inquiries both keep tags this way; this is the one place that normalises them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_TAG_LENGTH = 40
MAX_TAGS_TEXT = 300  # the column's max_length


def normalize_tags(tags) -> str:
    """ "VPN, 네트워크 ,vpn" or a list → ",vpn,네트워크," (lower-case, unique, order kept)."""
    if isinstance(tags, str):
        tags = tags.replace("#", " ").replace(",", " ").split()
    unique = []
    for tag in tags or []:
        tag = str(tag).strip().lower()[:MAX_TAG_LENGTH]
        if tag and tag not in unique:
            unique.append(tag)
    text = "," + ",".join(unique) + "," if unique else ""
    if len(text) > MAX_TAGS_TEXT:
        raise ValidationError({"tags": _("Too many tags.")})
    return text


def tag_lookup(value: str) -> str:
    """What a tag filter searches for: "#VPN " → ",vpn," ("" for nothing to filter)."""
    tag = (value or "").strip().lower().lstrip("#")[:MAX_TAG_LENGTH]
    return f",{tag}," if tag else ""
