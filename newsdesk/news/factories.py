"""Test factories, one per page type; pages take a ``parent`` (wagtail-factories)."""

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify

from .models import ArticleByline, ArticlePage, Author, HomePage, SectionPage


def home_page() -> HomePage:
    """The home page the migrations create."""
    return HomePage.objects.get()


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    role = "Reporter"

    class Meta:
        model = Author
        django_get_or_create = ("slug",)


class SectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    description = factory.LazyAttribute(lambda o: f"News from {o.title}.")
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = SectionPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Story number {n} makes the news")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    standfirst = factory.LazyAttribute(lambda o: f"What happened in {o.title.lower()}.")
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>The first paragraph of the story.</p>"}]
    )
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.SelfAttribute("first_published_at")
    live = True
    parent = factory.SubFactory(SectionPageFactory)

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def authors(self, create, authors, **kwargs):
        """``authors=[...]`` sets the bylines in order; default is one new author."""
        if not create:
            return
        for order, author in enumerate(authors or [AuthorFactory()]):
            ArticleByline.objects.create(page=self, author=author, sort_order=order)

    @factory.post_generation
    def tags(self, create, tags, **kwargs):
        if create and tags:
            self.tags.add(*tags)
            self.save()
