"""Addresses on the old WordPress site, written the one way they are stored and looked up."""

from urllib.parse import parse_qs, unquote, urlsplit


def site_key(link):
    """The site an export comes from, as its host and path (``example.com/blog``)."""
    parts = urlsplit(link or "")
    return (parts.netloc + parts.path.rstrip("/")).lower()[:200] or "wordpress"


def old_path(url):
    """``https://example.com/2013/01/11/slug/`` → ``/2013/01/11/slug``; ``?p=19`` and
    ``?page_id=2`` are kept (``/?p=19``), any other query string or fragment dropped.
    Decoded and without the trailing slash, as requests arrive either way."""
    parts = urlsplit(url or "")
    query = parse_qs(parts.query)
    path = unquote(parts.path).rstrip("/") or "/"
    for key in ("p", "page_id"):
        if query.get(key, [""])[0].isdigit():
            return f"{path}?{key}={query[key][0]}"
    return path
