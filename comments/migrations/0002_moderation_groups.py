"""Groups and their review permissions.

The workflow branch also creates these groups (in ``newsroom``); ``get_or_create`` makes
the two migrations agree in any order, and running this one again changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Moderators": [
        "view_comment", "change_comment", "moderate_comment",
        "add_ban", "change_ban", "delete_ban", "view_ban",
        "add_blockedterm", "change_blockedterm", "delete_blockedterm", "view_blockedterm",
        "view_report", "view_moderationdecision", "view_discardedsubmission",
    ],
    "Editors": ["view_comment"],
    "Journalists": ["view_comment"],
}


def grant(apps, schema_editor, grants=GRANTS):
    # On a fresh database the permissions are created after all migrations (post_migrate);
    # create them now. create_permissions skips app configs without a models module, which
    # the migration state's configs lack, hence the flag.
    app_config = apps.get_app_config("comments")
    # Put the flag back as it was: called with the real app registry (a test does), leaving
    # None behind made later post_migrate runs skip the app's content types.
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
