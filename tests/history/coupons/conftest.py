"""The coupon crew (an admin, a viewer), a marketing client with a campaign and goods, on a working Wednesday."""

from tests.coupons.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _english_messages,
    _pinned_clock,
    admin_user,
    campaign_a,
    client_a,
    goods_a,
    team,
    viewer,
)
