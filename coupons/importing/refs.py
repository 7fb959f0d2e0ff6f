"""Client, campaign and goods ids for the names and codes a file carries, created when new.

A Giftishow export names clients and campaigns as the company typed them when sending, so an
unknown name is a new client/campaign rather than an error; each is created once per import
(a few dozen distinct values even in a million-row file) and the admin can merge typos later.
"""

from ..models import Campaign, Client, Goods


class Refs:
    def __init__(self):
        self.clients = dict(Client.objects.values_list("name", "id"))
        self.campaigns = {(c, n): i for c, n, i in Campaign.objects.values_list("client_id", "name", "id")}
        self.goods = {
            code: (pk, price, consumer)
            for code, pk, price, consumer in Goods.objects.values_list("code", "id", "sell_price", "consumer_price")
        }
        self.created = {"clients": 0, "campaigns": 0, "goods": 0}

    def client(self, name: str) -> int:
        pk = self.clients.get(name)
        if pk is None:
            pk = self.clients[name] = Client.objects.get_or_create(name=name)[0].pk
            self.created["clients"] += 1
        return pk

    def campaign(self, client_id: int, name: str) -> int | None:
        if not name:
            return None
        pk = self.campaigns.get((client_id, name))
        if pk is None:
            pk = self.campaigns[(client_id, name)] = Campaign.objects.get_or_create(client_id=client_id, name=name)[
                0
            ].pk
            self.created["campaigns"] += 1
        return pk

    def goods_of(self, code: str, *, name: str, brand: str, sell_price, consumer_price) -> tuple[int | None, int, int]:
        """(goods id, its sell price, its consumer price); (None, 0, 0) without a code."""
        if not code:
            return None, 0, 0
        known = self.goods.get(code)
        if known is None:
            goods = Goods.objects.get_or_create(
                code=code,
                defaults={
                    "name": name or code,
                    "brand": brand,
                    "sell_price": sell_price or 0,
                    "consumer_price": consumer_price or 0,
                },
            )[0]
            known = self.goods[code] = (goods.pk, goods.sell_price, goods.consumer_price)
            self.created["goods"] += 1
        return known
