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
    existing = {b.author_id: b.pk for b in article.bylines.all()} if article else {}
    bylines = [
        {"author": author.pk, **({"id": existing[author.pk]} if author.pk in existing else {})}
        for author in authors
    ]
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "standfirst": standfirst,
            "bylines": inline_formset(bylines, initial=len(existing)),
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
