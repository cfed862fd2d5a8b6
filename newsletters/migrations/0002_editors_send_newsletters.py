"""Editors run the newsletters: they compose and send issues and see the subscribers.

Subscribers' addresses are personal data, so journalists and moderators get nothing here.
Like ``comments/migrations/0002``, the groups are got or created, so the order of the
apps' migrations does not matter.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    "add_newsletter", "change_newsletter", "view_newsletter",
    "view_subscriber", "change_subscriber", "delete_subscriber",
    "add_issue", "change_issue", "delete_issue", "view_issue", "send_issue",
    "add_issuestory", "change_issuestory", "delete_issuestory", "view_issuestory",
    "view_delivery",
]  # fmt: skip


def grant(apps, schema_editor):
    app_config = apps.get_app_config("newsletters")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsletters", codename__in=EDITORS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_newsletters"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
