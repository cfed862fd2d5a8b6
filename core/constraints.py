"""Constraints shared by the apps' models."""

from django.db import models
from django.db.models import Q


def one_of(field, values, name):
    """The database refuses a ``field`` value outside ``values`` (a choices field's list):
    forms check choices, but data migrations, imports and raw updates do not."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)
