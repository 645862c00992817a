"""Who may do what in the newsroom: every role, and anonymous, against every action, through
real HTTP requests to the admin. A cell passes when the action took effect exactly when the
table says "yes" (what changed in the database, not only the status code).

To add a role or an action: a row or a column in the table, and for an action a function in
ACTIONS that tries it and reports whether it happened.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, Revision

from newsdesk.comments.models import Comment, Status
from newsdesk.editorial.models import BreakingNews, EditorialSettings
from newsdesk.editorial.roles import ADMINISTRATOR, COMMENT_MODERATOR, CONTRIBUTOR, EDITOR
from newsdesk.news.models import ArticlePage, Author, Correction, SectionPage

from .newsroom import article_form, draft_article, live_article, local, make_user

PERMISSIONS = """
action             | anonymous | Contributor | Editor | Administrator | Comment moderator
create draft       | no        | yes         | yes    | yes           | no
edit own           | no        | yes         | yes    | yes           | no
edit another's     | no        | no          | yes    | yes           | no
submit             | no        | yes         | yes    | yes           | no
approve            | no        | no          | yes    | yes           | no
publish            | no        | no          | yes    | yes           | no
schedule           | no        | no          | yes    | yes           | no
unpublish          | no        | no          | yes    | yes           | no
delete             | no        | no          | yes    | yes           | no
move               | no        | no          | yes    | yes           | no
create section     | no        | no          | yes    | yes           | no
manage authors     | no        | no          | yes    | yes           | no
manage tags        | no        | no          | yes    | yes           | no
add correction     | no        | no          | yes    | yes           | no
remove correction  | no        | no          | yes    | yes           | no
flag breaking news | no        | no          | yes    | yes           | no
edit site settings | no        | no          | no     | yes           | no
manage users       | no        | no          | no     | yes           | no
moderate comments  | no        | no          | yes    | yes           | yes
"""


def parse(table: str) -> dict[tuple[str, str], bool]:
    lines = [line for line in table.strip().splitlines() if line.strip()]
    roles = [cell.strip() for cell in lines[0].split("|")[1:]]
    cells = {}
    for line in lines[1:]:
        action, *answers = (cell.strip() for cell in line.split("|"))
        assert len(answers) == len(roles), line
        for role, answer in zip(roles, answers, strict=True):
            assert answer in {"yes", "no"}, line
            cells[(role, action)] = answer == "yes"
    return cells


MATRIX = parse(PERMISSIONS)


# --- The actions: each tries one thing as `user` through the admin and says if it happened ----


class Newsroom:
    """The world every cell starts from: a section with articles by a colleague."""

    def __init__(self, user, home, world, politics, author, picture):
        self.user = user
        self.home, self.world, self.politics = home, world, politics
        self.author, self.picture = author, picture
        self.colleague = make_user("colleague", CONTRIBUTOR)
        # What "own" means for anonymous: somebody else's (anonymous owns nothing).
        self.owner = user or self.colleague

    def own_draft(self, title="My own draft"):
        return draft_article(self.world, self.owner, title=title, authors=[self.author])

    def form(self, article, **changes):
        data = {
            "title": article.title,
            "slug": article.slug,
            "authors": [self.author],
            "article": article,
            "image": self.picture,
            "alt": "Boats",
        }
        data.update(changes)
        return article_form(**data)


def create_draft(client, room):
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", room.world.pk])
    client.post(
        url,
        article_form(title="Brand new story", slug="brand-new-story", authors=[room.author]),
    )
    return ArticlePage.objects.filter(slug="brand-new-story").exists()


def edit(client, room, article):
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        room.form(article, title="Edited headline"),
    )
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    return latest.title == "Edited headline"


def edit_own(client, room):
    return edit(client, room, room.own_draft())


def edit_anothers(client, room):
    return edit(client, room, draft_article(room.world, room.colleague, authors=[room.author]))


def submit(client, room):
    article = room.own_draft()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        room.form(article, action="submit"),
    )
    return ArticlePage.objects.get(pk=article.pk).workflow_in_progress


def approve(client, room):
    article = draft_article(room.world, room.colleague, authors=[room.author])
    article.featured_image = room.picture
    revision = article.save_revision(user=room.colleague)
    state = article.get_workflow().start(article, room.colleague)
    task_state = state.current_task_state
    assert task_state is not None and revision
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    return ArticlePage.objects.get(pk=article.pk).live


def publish(client, room):
    article = room.own_draft()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        room.form(article, action="publish"),
    )
    return ArticlePage.objects.get(pk=article.pk).live


def schedule(client, room):
    article = room.own_draft()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        room.form(article, action="publish", go_live_at=timezone.now() + timedelta(hours=2)),
    )
    scheduled = Revision.page_revisions.filter(
        object_id=str(article.pk), approved_go_live_at__isnull=False
    ).exists()
    return scheduled and not ArticlePage.objects.get(pk=article.pk).live


def unpublish(client, room):
    article = live_article(room.world, room.colleague, authors=[room.author])
    client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    return not ArticlePage.objects.get(pk=article.pk).live


def delete(client, room):
    # The contributor's strongest case: their own draft, never published.
    article = room.own_draft()
    client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]))
    return not Page.objects.filter(pk=article.pk).exists()


def move(client, room):
    article = live_article(room.world, room.colleague, authors=[room.author])
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[article.pk, room.politics.pk]))
    return Page.objects.get(pk=article.pk).get_parent().pk == room.politics.pk


def create_section(client, room):
    url = reverse("wagtailadmin_pages:add", args=["news", "sectionpage", room.home.pk])
    client.post(url, {"title": "Science", "slug": "science", "description": "Labs."})
    return SectionPage.objects.filter(slug="science").exists()


def manage_authors(client, room):
    client.post(
        reverse("wagtailsnippets_news_author:add"),
        {"name": "New Writer", "slug": "new-writer", "role": "", "bio": "", "links-count": "0"},
    )
    return Author.objects.filter(slug="new-writer").exists()


def manage_tags(client, room):
    client.post(reverse("wagtailsnippets_taggit_tag:add"), {"name": "Elections"})
    return Tag.objects.filter(name="Elections").exists()


def add_correction(client, room):
    article = live_article(room.world, room.colleague, authors=[room.author])
    client.post(
        reverse("editorial_correction_add"),
        {"article": article.pk, "kind": "correction", "text": "An earlier version erred."},
    )
    return Correction.objects.filter(article=article).exists()


def remove_correction(client, room):
    article = live_article(room.world, room.colleague, authors=[room.author])
    correction = Correction.objects.create(article=article, text="A figure was wrong.")
    client.post(
        reverse("editorial_correction_remove", args=[correction.pk]), {"reason": "Duplicate."}
    )
    correction.refresh_from_db()
    return correction.removed_at is not None


def flag_breaking_news(client, room):
    article = live_article(room.world, room.colleague, authors=[room.author])
    client.post(
        reverse("wagtailsnippets_editorial_breakingnews:add"),
        {
            "article": article.pk,
            "headline": "",
            "ends_at": local(timezone.now() + timedelta(hours=1)),
        },
    )
    return BreakingNews.objects.filter(article=article).exists()


def edit_site_settings(client, room):
    setting = EditorialSettings.load()
    client.post(
        reverse("wagtailsettings:edit", args=["editorial", "editorialsettings", setting.pk]),
        {"require_featured_image": ""},
    )
    return EditorialSettings.load().require_featured_image is False


def manage_users(client, room):
    client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcomer",
            "email": "newcomer@newsroom.example",
            "first_name": "New",
            "last_name": "Comer",
            "password1": "a long and new password 42",
            "password2": "a long and new password 42",
            "is_active": "on",
        },
    )
    return get_user_model().objects.filter(username="newcomer").exists()


def moderate_comments(client, room):
    article = live_article(room.world, room.colleague, authors=[room.author])
    comment = Comment.objects.create(
        article=article, name="Reader", email="reader@example.com", body="Hello."
    )
    client.post(reverse("comments_admin:queue"), {"action": "approve", "ids": [comment.pk]})
    return Comment.objects.get(pk=comment.pk).status == Status.APPROVED


ACTIONS = {
    "create draft": create_draft,
    "edit own": edit_own,
    "edit another's": edit_anothers,
    "submit": submit,
    "approve": approve,
    "publish": publish,
    "schedule": schedule,
    "unpublish": unpublish,
    "delete": delete,
    "move": move,
    "create section": create_section,
    "manage authors": manage_authors,
    "manage tags": manage_tags,
    "add correction": add_correction,
    "remove correction": remove_correction,
    "flag breaking news": flag_breaking_news,
    "edit site settings": edit_site_settings,
    "manage users": manage_users,
    "moderate comments": moderate_comments,
}


def test_the_table_covers_every_role_and_action():
    roles = {role for role, _ in MATRIX}
    assert roles == {"anonymous", CONTRIBUTOR, EDITOR, ADMINISTRATOR, COMMENT_MODERATOR}
    assert {action for _, action in MATRIX} == set(ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "action"), sorted(MATRIX), ids=[f"{role}-{action}" for role, action in sorted(MATRIX)]
)
def test_permission(client, home, world, politics, reporter, picture, role, action):
    user = (
        None if role == "anonymous" else make_user(f"{role.lower().replace(' ', '-')}-user", role)
    )
    if user is not None:
        client.force_login(user)
    room = Newsroom(user, home, world, politics, reporter, picture)
    happened = ACTIONS[action](client, room)
    expected = MATRIX[(role, action)]
    assert happened is expected, (
        f"{role} {'should' if expected else 'should not'} be able to {action}"
    )
