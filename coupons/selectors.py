"""Who may see what of the coupon send logs (every read of the module goes through here).

Coupon sends hold recipients' phone numbers, so they are not for every employee: module admins
(company admins, or holders of ``coupons.manage_coupons``) and holders of the view permission
see the log; only holders of ``coupons.reveal_phone`` may ask for a full number (each time
audited, see services.phone_reveal). Everyone else sees nothing.
"""

from django.db.models import Q, QuerySet

from erp.core.search import contains_q, planner
from erp.people.roles import is_module_admin

from .models import Campaign, Client, SendLog
from .phones import normalize_phone


def can_view_coupons(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return is_module_admin(user, "coupons") or user.has_perm("coupons.view_sendlog")


def can_reveal_phone(user) -> bool:
    return can_view_coupons(user) and user.has_perm("coupons.reveal_phone")


def can_import(user) -> bool:
    return can_view_coupons(user) and (is_module_admin(user, "coupons") or user.has_perm("coupons.import_sendlog"))


def can_send(user) -> bool:
    """Sending coupons spends the company's bizmoney: module admins only."""
    return can_view_coupons(user) and is_module_admin(user, "coupons")


def visible_sends(user) -> QuerySet:
    if not can_view_coupons(user):
        return SendLog.objects.none()
    return SendLog.objects.select_related("client", "campaign", "goods")


def visible_campaigns(user) -> QuerySet:
    if not can_view_coupons(user):
        return Campaign.objects.none()
    return Campaign.objects.select_related("client")


def send_search_q(text: str) -> Q:
    """Sends matching ``text``: a full phone number or its last four digits, a tr_id, an order
    number (exact: indexed), or a client / campaign name (Korean bigram search)."""
    text = text.strip()
    phone = normalize_phone(text)
    if phone:
        return Q(phone=phone)
    digits = text.replace("-", "")
    if len(digits) == 4 and digits.isdigit():
        # An OR with the tr_id / order number would make PostgreSQL read every send with these
        # last four (hundreds at 5M rows) and sort them; alone, the list's first page is a short
        # range of the (phone_last4, sent_at, id) index. Two probes decide whether the OR is needed.
        exact = Q(tr_id=text) | Q(order_no=text)
        if SendLog.objects.filter(exact).exists():
            return Q(phone_last4=digits) | exact
        return Q(phone_last4=digits)
    exact = Q(tr_id=text) | Q(order_no=text)
    if len(text) < 2:
        return exact
    # Sends of the clients and campaigns whose name matches, decided like the search planner
    # (erp.core.search.planner): PostgreSQL cannot tell from a client or campaign id how many
    # sends carry it (a campaign outside its most-common list is guessed at 1/n of the table), so
    # left alone it walked the sent_at index over every send to find the 3 sends of a rare
    # campaign (seconds at 5,000,000 sends). One bounded probe: fewer than FREQUENT_TERM_MATCHES
    # sends → their ids; more → the name condition, tested along the caller's sort index.
    clients = list(Client.objects.filter(contains_q(Client, ["name"], text)).values_list("pk", flat=True))
    campaigns = list(Campaign.objects.filter(contains_q(Campaign, ["name"], text)).values_list("pk", flat=True))
    if not clients and not campaigns:
        return exact
    named = Q(client__in=clients) | Q(campaign__in=campaigns)
    bound = planner.FREQUENT_TERM_MATCHES
    few = list(SendLog.objects.filter(named).order_by().values_list("pk", flat=True)[:bound])
    return exact | (Q(pk__in_array=few) if len(few) < bound else named)
