"""The moderation queue's tabs: which reviews each holds, and how many, in one query.

``QueueFilter`` narrows the admin's changelist to a tab; ``queue_tabs`` counts every tab
at once, in one query whatever the number of reviews or reports. Each count stops at
``COUNT_CAP``: a moderator needs to know that 37 reviews wait, not that 181,204 are
approved, and counting a whole status costs a scan that grows with the table (48 ms of the
Pending tab's 174 ms at 200,000 reviews, docs/performance.md); a capped count reads at most
``COUNT_CAP`` index entries per tab.
"""

from django.contrib import admin
from django.db import connection
from django.utils.translation import gettext_lazy as _

from .models import Comment, Report

TABS = [
    ("pending", _("Pending")),
    ("reported", _("Reported")),
    ("approved", _("Approved")),
    ("rejected", _("Rejected")),
    ("spam", _("Spam")),
]


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return TABS

    def queryset(self, request, queryset):
        if self.value() == "reported":
            return queryset.reported()
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


COUNT_CAP = 1000


def _tab_queryset(key):
    if key == "reported":
        return Report.objects.filter(is_resolved=False).values("comment").distinct()
    return Comment.objects.filter(status=key).values("pk")


def tab_counts():
    """{tab: number of reviews, at most ``COUNT_CAP``}, every tab, in one query."""
    parts, params = [], []
    for key, _label in TABS:
        sql, part_params = _tab_queryset(key).order_by()[:COUNT_CAP].query.sql_with_params()
        # Django's own compilation of the querysets above; values stay parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS tab)")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {key: count for (key, _label), count in zip(TABS, row, strict=True)}


def queue_tabs(current):
    counts = tab_counts()
    return [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "capped": counts[key] >= COUNT_CAP,
            "current": key == current,
        }
        for key, label in TABS
    ]
