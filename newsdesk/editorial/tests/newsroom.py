"""Newsroom people, pictures and articles for the editorial tests, and the form data the admin's
real edit views expect (what a browser would post)."""

import io
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsdesk.news.factories import ArticlePageFactory
from newsdesk.news.models import NewsImage

PASSWORD = "correct horse battery staple"


def make_user(username: str, group: str | None = None, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@newsroom.example", PASSWORD, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_image(title: str = "Harbour at dawn") -> NewsImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (30, 90, 160)).save(buffer, format="PNG")
    return NewsImage.objects.create(
        title=title,
        file=ImageFile(buffer, name="harbour.png"),
        description="Boats in a harbour at dawn",
        credit="Photo: Newsdesk",
    )


def draft_article(section, owner, title="A draft story", **extra):
    """An article that was never published, owned by ``owner`` (as if they wrote it)."""
    article = ArticlePageFactory(
        parent=section,
        title=title,
        live=False,
        first_published_at=None,
        last_published_at=None,
        owner=owner,
        **extra,
    )
    article.save_revision(user=owner)
    return article


def live_article(section, owner=None, title="A published story", **extra):
    article = ArticlePageFactory(parent=section, title=title, owner=owner, **extra)
    article.save_revision(user=owner).publish()
    return article


def article_form(
    *,
    title: str,
    slug: str,
    authors,
    article=None,
    image=None,
    alt: str = "",
    standfirst: str = "What happened, in two sentences.",
    body: str = "<p>The first paragraph.</p>",
    tags: str = "",
    go_live_at: datetime | None = None,
    expire_at: datetime | None = None,
    action: str | None = None,
) -> dict:
    """POST data of the article edit (or create) form, as Wagtail's admin sends it.

    ``action`` is the button pressed: None (save draft), "publish", "submit"…
    """
    # Bylines already saved come first (kept, or deleted when not wanted), then new ones.
    saved = list(article.bylines.all()) if article else []
    wanted = [author.pk for author in authors]
    bylines = [
        {"id": b.pk, "author": b.author_id, "DELETE": "" if b.author_id in wanted else "on"}
        for b in saved
    ]
    kept_ids = {b.author_id for b in saved}
    bylines += [{"author": pk} for pk in wanted if pk not in kept_ids]
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "standfirst": standfirst,
            "bylines": inline_formset(bylines, initial=len(saved)),
            "featured_image": image.pk if image else "",
            "featured_image_alt": alt,
            "featured_image_caption": "",
            "body": streamfield([("paragraph", rich_text(body))]),
            "tags": tags,
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "comments_open": "on",
            "go_live_at": local(go_live_at),
            "expire_at": local(expire_at),
        }
    )
    if action:
        data[f"action-{action}"] = action
    return data


def local(moment: datetime | None) -> str:
    """A time as the admin's date-time widget types it (in the site's time zone)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def login(client, user) -> None:
    if user is not None:
        client.force_login(user)
