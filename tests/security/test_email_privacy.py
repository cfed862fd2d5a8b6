"""Readers' e-mail addresses reach only moderators (issue 14, item 3).

The review form promises "Never shown to anyone but our moderators". A journalist and an
editor crawl every admin page they can reach from the index (lists, filters, search
results, each review's page, history, the dashboard), and no byte of any page holds a
reader's address; a moderator's crawl finds them, which shows the crawl reaches them.
"""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag

import pytest

from comments.models import Report
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db
ADDRESSES = ["amina.h@example.com", "boris.k@example.org", "troll@example.net"]
HREF = re.compile(r'href="(/admin/[^"]*)"')
PAGE_LIMIT = 400


@pytest.fixture
def reviews():
    story = ArticleFactory(comments_mode="open")
    made = [
        CommentFactory(article=story, email=address, status=status)
        for address, status in zip(ADDRESSES, ["pending", "approved", "spam"], strict=True)
    ]
    Report.objects.create(comment=made[1], reason="spam", reporter_hash="r" * 64)
    return made


def crawl(client, start="/admin/"):
    """Every admin page reachable from ``start`` by links, with what each page holds."""
    seen, queue, pages = {start}, deque([start]), {}
    # Searches by part of an address (the whole one would only echo what was typed).
    searches = [f"/admin/comments/comment/?q={part}" for part in ["amina", "example", "troll"]]
    queue.extend(searches)
    seen.update(searches)
    while queue and len(pages) < PAGE_LIMIT:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        pages[url] = response.content
        for link in HREF.findall(response.content.decode()):
            link = urldefrag(unescape(link)).url
            if "logout" in link or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return pages


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_no_page_shown_to_newsroom_staff_holds_a_readers_address(role, request, reviews):
    pages = crawl(logged_in(request.getfixturevalue(role)))
    opened = {
        int(pk) for url in pages for pk in re.findall(r"/comments/comment/(\d+)/change/", url)
    }
    assert opened == {review.pk for review in reviews}, sorted(pages)
    for url, content in pages.items():
        for address in ADDRESSES:
            assert address.encode() not in content, (url, address)


def test_a_moderators_crawl_finds_them(moderator, reviews):
    pages = crawl(logged_in(moderator))
    found = {
        address
        for content in pages.values()
        for address in ADDRESSES
        if address.encode() in content
    }
    assert found == set(ADDRESSES)
