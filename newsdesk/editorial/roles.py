"""The newsroom's roles. The groups and their permissions are created by the migration
``0002_newsroom_roles_and_workflow``; the names are what tests and handlers look up."""

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"
ADMINISTRATOR = "Administrator"
WORKFLOW = "Editorial review"
REVIEW_TASK = "Editor approval"
# Made by the comments app's migration: sees the comment queues and nothing else in the admin.
COMMENT_MODERATOR = "Comment moderator"


def can_publish(user, page) -> bool:
    """Deleting and creating sections are for those who may publish there (editors)."""
    return page.permissions_for_user(user).can_publish()
