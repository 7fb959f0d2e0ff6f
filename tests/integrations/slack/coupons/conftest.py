from tests.coupons.conftest import _pinned_clock, campaign_a, client_a, goods_a, team  # noqa: F401
