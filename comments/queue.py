"""The moderation queue's tabs: which reviews each holds, and how many, in one query.

``QueueFilter`` narrows the admin's changelist to a tab; ``queue_tabs`` counts every tab
at once (a ``GROUP BY status`` with the Reported count as a subquery) so the tab bar costs
one query whatever the number of reviews or reports.
"""

from django.contrib import admin
from django.db.models import Count, Subquery
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


def tab_counts():
    """{tab: number of reviews}, every tab, in one query."""
    reported = (
        Report.objects.filter(is_resolved=False)
        .order_by()
        .values("is_resolved")
        .annotate(n=Count("comment", distinct=True))
        .values("n")
    )
    counts = dict.fromkeys((key for key, _label in TABS), 0)
    rows = (
        Comment.objects.order_by()
        .values("status")
        .annotate(n=Count("pk"), reported=Subquery(reported))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
        counts["reported"] = row["reported"] or 0
    return counts


def queue_tabs(current):
    counts = tab_counts()
    return [
        {"key": key, "label": label, "count": counts[key], "current": key == current}
        for key, label in TABS
    ]
