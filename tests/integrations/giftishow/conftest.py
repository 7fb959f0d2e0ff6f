# The coupon fixtures (users, a client with its campaign and goods, the pinned clock).
from tests.coupons.conftest import (  # noqa: F401
    _english_messages,
    _pinned_clock,
    admin_user,
    campaign_a,
    client_a,
    goods_a,
    team,
)
