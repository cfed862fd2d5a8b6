"""Signed links in newsletter mail: confirm, unsubscribe, preferences.

Each link signs the subscriber's id and address with its own salt, so a link for one
action cannot be replayed for another, and a link stops working once the address is
erased or changed. A confirmation link lasts a week; unsubscribe and preferences links
last as long as the mail that carries them.
"""

from django.core import signing

CONFIRM_MAX_AGE = 7 * 24 * 3600
SALTS = {
    "confirm": "newsletters.confirm",
    "unsubscribe": "newsletters.unsubscribe",
    "preferences": "newsletters.preferences",
}
OPEN_SALT = "newsletters.open"


def make(action, subscriber):
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=SALTS[action])


def read(action, token, subscribers):
    """The subscriber a token names, from ``subscribers`` (a queryset), or None."""
    max_age = CONFIRM_MAX_AGE if action == "confirm" else None
    try:
        data = signing.loads(token, salt=SALTS[action], max_age=max_age)
    except signing.BadSignature:
        return None
    return subscribers.filter(pk=data.get("s"), email=data.get("e")).first()


def make_open(delivery):
    """The open-counting image's token: the delivery's id alone (which issue it counts
    for), only in mail of a newsletter that counts opens."""
    return signing.dumps(delivery.pk, salt=OPEN_SALT)


def read_open(token):
    """The delivery id an open-counting token names, or None."""
    try:
        return signing.loads(token, salt=OPEN_SALT)
    except signing.BadSignature:
        return None
