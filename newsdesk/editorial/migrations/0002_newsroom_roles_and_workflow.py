"""The newsroom's groups with their permissions, and the "Editorial review" workflow.

- Contributor: writes and edits their own articles, submits them for review; cannot publish
  or delete (publish permission is what the editorial hooks check for deleting).
- Editor: edits any article, reviews, publishes, schedules, unpublishes; manages sections,
  authors, tags, corrections, breaking news and redirects.
- Administrator: everything (the app tops the group up with every permission after each
  migrate, so permissions of apps added later are included), users and settings.
- "Comment moderator" belongs to the comments app.

The workflow "Editorial review" (one task, "Editor approval", for Editors and Administrators)
is assigned to the home page, so every section and article inherits it, and to the root page
in place of Wagtail's default "Moderators approval". Wagtail's own starter groups
("Moderators", "Editors") are removed while nobody is in them, so they cannot be confused with
ours.
"""

from django.db import migrations

CONTRIBUTOR, EDITOR, ADMINISTRATOR = "Contributor", "Editor", "Administrator"

PAGE_PERMISSIONS = {
    CONTRIBUTOR: ["add_page"],
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATOR: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}

_MEDIA_ALL = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtaildocs", "delete_document"),
]
COLLECTION_PERMISSIONS = {
    CONTRIBUTOR: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    EDITOR: _MEDIA_ALL,
    ADMINISTRATOR: _MEDIA_ALL,
}

MODEL_PERMISSIONS = {
    CONTRIBUTOR: [
        ("wagtailadmin", "access_admin"),
        ("news", "view_author"),
    ],
    EDITOR: [
        ("wagtailadmin", "access_admin"),
        ("news", "add_author"),
        ("news", "change_author"),
        ("news", "delete_author"),
        ("news", "view_author"),
        ("taggit", "add_tag"),
        ("taggit", "change_tag"),
        ("taggit", "delete_tag"),
        ("taggit", "view_tag"),
        ("news", "add_correction"),
        ("news", "change_correction"),
        ("news", "view_correction"),
        ("editorial", "add_breakingnews"),
        ("editorial", "change_breakingnews"),
        ("editorial", "delete_breakingnews"),
        ("editorial", "view_breakingnews"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
    ],
}


def ensure_permissions_exist(apps):
    """Permissions are normally made after all migrations ran; this one needs them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    root = Page.objects.filter(depth=1).order_by("path").first()
    home = apps.get_model("news.HomePage").objects.order_by("path").first() or root
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()

    groups = {}
    for name in (CONTRIBUTOR, EDITOR, ADMINISTRATOR):
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group

    for name, codenames in PAGE_PERMISSIONS.items():
        page = root if name == ADMINISTRATOR else home
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page_id=page.pk,
                permission=permission(apps, "wagtailcore", codename),
            )

    if root_collection is not None:
        for name, pairs in COLLECTION_PERMISSIONS.items():
            for app_label, codename in pairs:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=permission(apps, app_label, codename),
                )

    for name, pairs in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*(permission(apps, *pair) for pair in pairs))
    groups[ADMINISTRATOR].permissions.add(*Permission.objects.all())

    create_workflow(apps, groups, root, home)
    remove_wagtail_starter_groups(apps)


def create_workflow(apps, groups, root, home):
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name="Editor approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name="Editor approval", content_type=task_type, active=True
        )
    task.groups.set([groups[EDITOR], groups[ADMINISTRATOR]])

    workflow, _ = Workflow.objects.get_or_create(
        name="Editorial review", defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    replaced = set()
    for page in {root, home}:
        if page is None:
            continue
        existing = WorkflowPage.objects.filter(page_id=page.pk).first()
        if existing is not None and existing.workflow_id != workflow.pk:
            replaced.add(existing.workflow_id)
            existing.workflow = workflow
            existing.save()
        elif existing is None:
            WorkflowPage.objects.create(page_id=page.pk, workflow=workflow)
    # Wagtail's default workflow, now assigned nowhere, is retired rather than deleted (its
    # history stays readable).
    Workflow.objects.filter(pk__in=replaced, name="Moderators approval").exclude(
        workflow_pages__isnull=False
    ).update(active=False)


def remove_wagtail_starter_groups(apps):
    Group = apps.get_model("auth.Group")
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("news", "0003_comments_open_and_corrections"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
