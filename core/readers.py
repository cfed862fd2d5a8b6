"""Readers' addresses: who sent a request, kept only as a keyed hash.

The raw address is never stored or logged. ``X-Forwarded-For`` is believed only when the
request comes from one of our own proxies (``TRUSTED_PROXIES``); anyone else could write
any address into it to dodge rate limits and bans.
"""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac


def _networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request):
    """The reader's address: the first hop from the right that is not our own proxy."""
    address = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not _is_trusted(address, networks):
        return address
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted(hop, networks):
            return hop
    return address


def ip_hash(address):
    """HMAC-SHA256 of the address under ``COMMENTS_IP_HASH_KEY`` (derived from SECRET_KEY
    when unset): equal addresses give equal hashes, and the hash cannot be reversed
    without the key."""
    if not address:
        return ""
    return salted_hmac(
        "comments.ip",
        address,
        secret=settings.COMMENTS_IP_HASH_KEY or None,
        algorithm="sha256",
    ).hexdigest()


def request_ip_hash(request):
    return ip_hash(client_ip(request))
