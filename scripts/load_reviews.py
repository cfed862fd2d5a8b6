"""Post many reviews at once, as many readers, and report what the site answered.

    python scripts/load_reviews.py http://127.0.0.1:8000/en/economics/some-story/ \\
        [more story addresses...] --reviews 200 --concurrency 20

Each simulated reader opens a story page (its own cookies, CSRF token and form stamp),
waits the few seconds a person needs to write, and posts one review with a unique text
from its own address, sent as ``X-Forwarded-For`` (start the server with
``TRUSTED_PROXIES=127.0.0.1`` so it believes it). Every seventh reader shares the previous
reader's address, so some posts meet the rate limit. Run it against a server on plain
HTTP only with ``DEBUG=1`` (otherwise the CSRF cookie is HTTPS-only). Standard library only.

Prints one line per status and exits non-zero on any 5xx or a refusal without a reason.
``tests/security/test_load.py`` runs it against a live test server and checks the database.
"""

import argparse
import html
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

WRITING_SECONDS = 3.2  # The pipeline discards forms sent faster than a person can write.
FORM_ACTION = re.compile(r'<form class="review-form" method="post" action="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(csrfmiddlewaretoken|token)" value="([^"]*)"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Outcome:
    marker: str
    story: str
    status: int
    reason: str = ""
    finished: float = 0.0  # time.monotonic() when the answer came


def reader_address(number):
    """Distinct private addresses; every seventh reader reuses the previous one."""
    number = number - 1 if number % 7 == 6 else number
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def open_form(story_url, address):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    request = urllib.request.Request(story_url, headers={"X-Forwarded-For": address})  # noqa: S310 (as above)
    with opener.open(request, timeout=30) as response:
        page = response.read().decode()
    action = FORM_ACTION.search(page)
    fields = dict(HIDDEN.findall(page))
    if action:
        action = urllib.parse.urljoin(story_url, html.unescape(action.group(1)))
    return opener, action, fields


def post_review(opener, story_url, action, fields, address, marker):
    data = urllib.parse.urlencode(
        {
            **fields,
            "author_name": f"Reader {marker[-6:]}",
            "email": f"{marker}@readers.example",
            "body": f"Load test review {marker}: a fair and clear report.",
            "website": "",
            "parent": "",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (the user's own http(s) address)
        action,
        data=data,
        # As a browser sends it: the review form checks where a POST comes from.
        headers={"X-Forwarded-For": address, "Referer": story_url, "Origin": origin(story_url)},
    )
    with opener.open(request, timeout=60) as response:
        return response.status, ""


def origin(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def refusal(error):
    """The status and reason of an HTTP error: Retry-After, else the page's title."""
    body = error.read().decode(errors="replace")
    title = TITLE.search(body)
    retry_after = error.headers.get("Retry-After")
    reason = f"retry after {retry_after}s" if retry_after else ""
    return error.code, reason or (title.group(1).strip() if title else body[:200].strip())


def one_reader(number, story_url, run):
    address = reader_address(number)
    marker = f"{run}-{number:05d}"
    try:
        opener, action, fields = open_form(story_url, address)
        if not action:
            return Outcome(marker, story_url, 403, "no review form on the page", time.monotonic())
        time.sleep(WRITING_SECONDS)
        status, reason = post_review(opener, story_url, action, fields, address, marker)
    except urllib.error.HTTPError as error:
        status, reason = refusal(error)
    return Outcome(marker, story_url, status, reason, time.monotonic())


def run(story_urls, reviews=200, concurrency=20):
    """Post ``reviews`` reviews spread over ``story_urls``; one Outcome per review."""
    run_id = uuid.uuid4().hex[:8]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [
            pool.submit(one_reader, number, story_urls[number % len(story_urls)], run_id)
            for number in range(reviews)
        ]
        return [future.result() for future in futures]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stories", nargs="+", help="absolute addresses of story pages")
    parser.add_argument("--reviews", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    started = time.monotonic()
    outcomes = run(args.stories, args.reviews, args.concurrency)
    elapsed = time.monotonic() - started
    for status, count in sorted(Counter(o.status for o in outcomes).items()):
        print(f"HTTP {status}: {count}")
    print(f"{len(outcomes)} reviews in {elapsed:.1f} s")
    failures = [o for o in outcomes if o.status >= 500 or (o.status >= 400 and not o.reason)]
    for outcome in failures:
        print(f"FAILED {outcome}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
