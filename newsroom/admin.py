from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from core.tasks import WillRetry

from .models import SocialLink


@admin.register(SocialLink)
class SocialLinkAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """Background tasks, for superusers only: what waits, runs, failed and finished, with
    each task's arguments and error. A try that failed and is planned again shows as
    "will retry"; "failed" is a task that gave up after its last try (core.tasks)."""

    # What waits shows when it may run; what ran, when it finished.
    list_display = ["task_name", "status", "outcome", "display_run_after", "finished_at"]
    list_filter = ["status", "queue_name", "task_path"]
    search_fields = ["task_path"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.display(description=_("outcome"))
    def outcome(self, result):
        if result.status != TaskResultStatus.FAILED:
            return "—"
        error = result.exception_class_path.rsplit(".", 1)[-1]
        if error == WillRetry.__name__:
            return _("will retry")
        return _("failed: %(error)s") % {"error": error}
