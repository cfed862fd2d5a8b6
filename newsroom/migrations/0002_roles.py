"""Create the newsroom's roles (Journalists, Editors, Moderators) with their permissions.

Safe to run again: groups are fetched or created and permissions only ever added.
Comment permissions for Editors and Moderators come from the comments app's own migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# (app label, codename) per role. Kept here, frozen, as migrations should be.
ROLE_PERMISSIONS = {
    "Journalists": [
        ("articles", "view_article"), ("articles", "add_article"),
        ("articles", "change_article"), ("articles", "delete_article"),
        ("articles", "view_byline"), ("articles", "add_byline"),
        ("articles", "change_byline"), ("articles", "delete_byline"),
        ("articles", "view_relatedlink"), ("articles", "add_relatedlink"),
        ("articles", "change_relatedlink"), ("articles", "delete_relatedlink"),
        ("articles", "view_correction"),
        ("articles", "view_section"), ("articles", "view_contributor"),
        ("articles", "view_image"), ("articles", "add_image"),
        ("taggit", "view_tag"), ("taggit", "add_tag"),
    ],
    "Editors": [
        *[
            ("articles", f"{action}_{model}")
            for model in ["article", "byline", "relatedlink", "correction", "section",
                          "contributor", "image"]
            for action in ["view", "add", "change", "delete"]
        ],
        ("articles", "publish_article"), ("articles", "return_article"),
        *[("newsroom", f"{action}_sociallink") for action in ["view", "add", "change", "delete"]],
        *[("taggit", f"{action}_tag") for action in ["view", "add", "change", "delete"]],
    ],
    "Moderators": [],
}  # fmt: skip


def create_roles(apps, schema_editor):
    # On a fresh database, permissions are created only after all migrations have run.
    for label in ["articles", "newsroom", "taggit"]:
        app_config = apps.get_app_config(label)
        # A migration's app stub has no models_module, which create_permissions checks for.
        app_config.models_module = True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsroom", "0001_initial"),
        ("articles", "0004_workflow"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
