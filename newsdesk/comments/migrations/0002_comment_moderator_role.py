"""The "Comment moderator" group (sees the comment queues and nothing else in the admin), and
comment moderation for editors. Administrators get every permission from the editorial app's
post_migrate handler."""

from django.db import migrations

COMMENT_MODERATOR = "Comment moderator"  # newsdesk.editorial.roles.COMMENT_MODERATOR
EDITOR = "Editor"


def create_role(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_label in ("comments", "wagtailadmin"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderate = Permission.objects.get(content_type__app_label="comments", codename="moderate_comment")
    access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group, _ = Group.objects.get_or_create(name=COMMENT_MODERATOR)
    group.permissions.add(moderate, access)
    editors = Group.objects.filter(name=EDITOR).first()
    if editors is not None:
        editors.permissions.add(moderate)


def remove_role(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=COMMENT_MODERATOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("editorial", "0002_newsroom_roles_and_workflow"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_role, remove_role)]
