"""Model rules: denormalised section and dates, validation, ordering."""

import pytest
from django.core.exceptions import ValidationError

from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from newsdesk.news.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


def test_article_knows_its_section_and_dates():
    world = SectionPageFactory(title="World")
    story = ArticlePageFactory(parent=world)
    story.refresh_from_db()
    assert story.section_id == world.pk
    assert story.published_at == story.first_published_at
    assert story.updated_at is not None


def test_moving_an_article_moves_it_between_fronts():
    world, politics = SectionPageFactory(title="World"), SectionPageFactory(title="Politics")
    story = ArticlePageFactory(parent=world)
    story.move(politics, pos="last-child")
    assert ArticlePage.objects.get(pk=story.pk).section_id == politics.pk
    assert list(politics.articles()) == [story]
    assert list(world.articles()) == []


def test_republishing_updates_the_updated_date_but_not_the_published_date():
    story = ArticlePageFactory()
    published = ArticlePage.objects.get(pk=story.pk).published_at
    story = ArticlePage.objects.get(pk=story.pk)
    story.standfirst = "Changed."
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.published_at == published
    assert story.updated_at > published


def test_featured_image_needs_alt_text():
    from wagtail.images.tests.utils import get_test_image_file

    from newsdesk.news.models import NewsImage

    image = NewsImage.objects.create(title="Pic", file=get_test_image_file())
    story = ArticlePageFactory()
    story.featured_image = image
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "featured_image_alt" in error.value.message_dict
    image.description = "A described picture"
    image.save()
    story.full_clean()  # the image's own description serves as alt text
    assert story.featured_image_alt_text == "A described picture"


def test_author_slug_is_made_from_the_name_and_kept_unique():
    first = Author.objects.create(name="Sam Lee")
    second = Author.objects.create(name="Sam Lee")
    assert (first.slug, second.slug) == ("sam-lee", "sam-lee-2")
    assert first.get_absolute_url() == "/authors/sam-lee/"


def test_author_with_bylines_cannot_be_deleted_silently():
    from django.db.models import ProtectedError

    author = AuthorFactory()
    ArticlePageFactory(authors=[author])
    with pytest.raises(ProtectedError):
        author.delete()
