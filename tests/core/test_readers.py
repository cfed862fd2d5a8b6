"""The one place that knows a reader's address (core/readers.py): which hop to believe,
and a keyed hash instead of the address."""

from core.readers import client_ip, ip_hash


def test_hash_is_keyed_by_a_secret(settings):
    first = ip_hash("203.0.113.1")
    settings.COMMENTS_IP_HASH_KEY = "another-secret"
    assert ip_hash("203.0.113.1") != first
    assert len(first) == 64


def test_forwarded_for_is_ignored_from_untrusted_peers(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    request = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "198.51.100.9"


def test_forwarded_for_is_used_from_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.2"
    )
    # The client may forge the leftmost entry; the first untrusted hop from the right
    # is the one our proxies saw.
    assert client_ip(request) == "198.51.100.9"
