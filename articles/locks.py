"""Soft edit locks: "Aysel is editing since 10:42" for anyone else opening the story.

A lock lives in the shared cache and lapses after ``EDIT_LOCK_SECONDS`` without a
heartbeat (the change form pings while it is open; without JavaScript the lock simply
lasts that long from opening). It warns, it does not block: optimistic locking is what
keeps two saves from overwriting each other.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

EDIT_LOCK_SECONDS = 5 * 60


@dataclass(frozen=True)
class EditLock:
    user_id: int
    name: str
    since: datetime

    def is_held_by(self, user):
        return self.user_id == user.pk


def _key(article_id):
    return f"articles:edit-lock:{article_id}"


def current_lock(article_id):
    return cache.get(_key(article_id))


def claim_edit_lock(article_id, user, *, take_over=False):
    """Hold the lock for ``user`` unless someone else does; returns whoever holds it."""
    lock = current_lock(article_id)
    if lock and not lock.is_held_by(user) and not take_over:
        return lock
    if lock is None or not lock.is_held_by(user):
        lock = EditLock(user.pk, user.get_full_name() or user.get_username(), timezone.now())
    cache.set(_key(article_id), lock, EDIT_LOCK_SECONDS)
    return lock


def refresh_edit_lock(article_id, user):
    """The heartbeat: keep the lock alive; False if it has lapsed or been taken over."""
    lock = current_lock(article_id)
    if lock is None or not lock.is_held_by(user):
        return False
    cache.touch(_key(article_id), EDIT_LOCK_SECONDS)
    return True


def release_edit_lock(article_id, user):
    lock = current_lock(article_id)
    if lock and lock.is_held_by(user):
        cache.delete(_key(article_id))
