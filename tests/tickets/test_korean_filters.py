"""Filter controls in Korean (korean.md §2a): 전체 / 예 / 아니요, never "---------" or 알 수 없음;
the escalation level reads 없음 / L1, not 0."""

import re

from django.urls import reverse
from django.utils import translation


def test_the_ticket_list_filters_say_all_yes_no(client, people):
    client.force_login(people["agent"])
    with translation.override("ko"):
        page = client.get(reverse("tickets:list"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    sensitive = re.search(r'<select name="sensitive".*?</select>', page, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", sensitive) == ["전체", "예", "아니요"]
    assert "---------" not in page and "알 수 없음" not in sensitive
    # The yes/no values still filter.
    assert client.get(reverse("tickets:list"), {"sensitive": "true"}).status_code == 200


def test_the_escalation_level_reads_none_or_l_n(client, people, new_ticket):
    ticket = new_ticket()
    user = ticket.requester
    client.force_login(user)
    with translation.override("ko"):
        page = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert re.search(r"<dt>에스컬레이션</dt><dd>없음</dd>", page)
