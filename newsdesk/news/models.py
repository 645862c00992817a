"""The content model: Home → Section → Article, with authors, tags and images."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    TitleFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from newsdesk.core import restrictions
from newsdesk.core.pagination import paginate
from newsdesk.core.restrictions import CachedRestrictionsMixin

from .blocks import ArticleBodyBlock, AuthorLinkBlock
from .forms import ArticlePageForm

NAVIGATION_CACHE_KEY = "news:section-navigation"


class NewsImage(AbstractImage):
    """A picture with the credit a newsroom must print beside it."""

    credit = models.CharField(max_length=255, blank=True, help_text="Photographer or agency.")

    admin_form_fields = (*Image.admin_form_fields, "credit")


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class Author(index.Indexed, models.Model):
    """A byline: a staff member with an account, or a contributor without one."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, blank=True)
    role = models.CharField(max_length=255, blank=True, help_text="For example “World editor”.")
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        NewsImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The newsroom account of a staff author; empty for outside contributors.",
    )
    links = StreamField([("link", AuthorLinkBlock())], blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("links"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:author", args=[self.slug])


def unique_slug(model, text: str) -> str:
    base = slugify(text)[:240] or "author"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class ArticleQuerySet(PageQuerySet):
    def private_q(self):
        return restrictions.private_q()

    def listing(self, private_q=None, bylines=True):
        """Published, public articles newest first, with what a story card shows.

        ``listed`` mirrors Wagtail's ``live`` on the article table, so "newest in this section"
        is read from one partial index without touching Wagtail's page table. A page that lists
        several groups passes ``private_q`` (one restriction lookup for them all) and
        ``bylines=False``, then prefetches every group's bylines at once with ``with_bylines``.
        """
        queryset = (
            self.filter(listed=True)
            .exclude(self.private_q() if private_q is None else private_q)
            .select_related("section", "featured_image")
            .order_by("-published_at", "-page_ptr_id")
        )
        return queryset.prefetch_related(bylines_prefetch()) if bylines else queryset


def bylines_prefetch():
    return Prefetch(
        "bylines", queryset=ArticleByline.objects.select_related("author").order_by("sort_order")
    )


def with_bylines(articles):
    """Fetch the bylines of every given article in one query."""
    prefetch_related_objects([a for a in articles if a is not None], bylines_prefetch())
    return articles


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


class HomePage(CachedRestrictionsMixin, Page):
    lead_article = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty to lead with the newest story.",
    )

    content_panels = [*Page.content_panels, FieldPanel("lead_article")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        private = ArticlePage.objects.private_q()
        lead = self.lead_story(private)
        fronts = []
        sections = SectionPage.objects.child_of(self).live().exclude(private).order_by("path")
        for section in sections:
            stories = ArticlePage.objects.listing(private, bylines=False).filter(section=section)
            if lead:
                stories = stories.exclude(pk=lead.pk)
            fronts.append((section, list(stories[:4])))
        with_bylines([lead, *(story for _, stories in fronts for story in stories)])
        context.update(lead=lead, fronts=fronts)
        return context

    def route(self, request, path_components):
        """Find a section or article with one indexed query for the whole path.

        Wagtail's default walks the tree one query per level; reader traffic is almost all
        section fronts and articles, whose depth under the home page is known.
        """
        if not path_components and getattr(self, "_from_site_cache", False):
            # The site cache's copy routes; the home page itself is served fresh.
            return HomePage.objects.get(pk=self.pk).route(request, path_components)
        model = {1: SectionPage, 2: ArticlePage}.get(len(path_components))
        if model is not None:
            pages = model.objects.filter(
                slug=path_components[-1], url_path=self.url_path + "/".join(path_components) + "/"
            )
            if model is ArticlePage:
                pages = pages.select_related("section", "featured_image")
            # url_path is unique within the tree, so no ordering: ``first()`` would add one
            # by primary key, and compiling it costs more than running the query.
            page = next(iter(pages.order_by()[:1]), None)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def lead_story(self, private_q=None):
        articles = ArticlePage.objects.listing(private_q, bylines=False)
        if self.lead_article_id:
            chosen = articles.filter(pk=self.lead_article_id).first()
            if chosen:
                return chosen
        return articles.first()


class SectionPage(CachedRestrictionsMixin, Page):
    """A section front (World, Politics…): its articles newest first, paginated."""

    description = models.TextField(blank=True, help_text="One or two sentences for the front.")

    content_panels = [*Page.content_panels, FieldPanel("description")]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    def clean(self):
        super().clean()
        if self.slug in settings.NEWSDESK_RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by the site itself; choose another slug."}
            )

    def articles(self):
        return ArticlePage.objects.listing().filter(section=self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = paginate(self.articles(), request, settings.NEWSDESK_PAGE_SIZE)
        return context


class ArticlePage(CachedRestrictionsMixin, Page):
    standfirst = models.TextField(
        max_length=400,
        help_text="One or two sentences under the headline; also the search-result summary.",
    )
    body = StreamField(ArticleBodyBlock())
    featured_image = models.ForeignKey(
        NewsImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured_image_alt = models.CharField(
        "Alt text",
        max_length=250,
        blank=True,
        help_text="Describe the picture; leave empty to use the image's own description.",
    )
    featured_image_caption = models.CharField("Caption", max_length=500, blank=True)
    tags = ClusterTaggableManager(through="news.ArticleTag", blank=True)
    # Denormalised from the tree so fronts can read "newest in this section" from one index.
    section = models.ForeignKey(
        "news.SectionPage",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, editable=False)
    updated_at = models.DateTimeField(null=True, editable=False)
    listed = models.BooleanField(default=False, editable=False)
    comments_open = models.BooleanField(
        default=True, help_text="Untick to close this article to new comments."
    )

    content_panels = [
        TitleFieldPanel("title", heading="Headline"),
        FieldPanel("standfirst"),
        MultipleChooserPanel("bylines", chooser_field_name="author", heading="Bylines", min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("featured_image"),
                FieldPanel("featured_image_alt"),
                FieldPanel("featured_image_caption"),
            ],
            heading="Featured image",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("comments_open")]
    search_fields = [
        *Page.search_fields,
        # Headline (Page.search_fields: boost 2) above standfirst and tags above body text.
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=1.5)]),
        index.FilterField("section"),
        index.FilterField("published_at"),
        index.FilterField("listed"),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    objects = ArticleManager()
    base_form_class = ArticlePageForm

    class Meta:
        indexes = [
            models.Index(
                fields=["section", "-published_at", "-page_ptr"],
                name="article_section_listed",
                condition=models.Q(listed=True),
            ),
            models.Index(
                fields=["-published_at", "-page_ptr"],
                name="article_listed",
                condition=models.Q(listed=True),
            ),
        ]

    def clean(self):
        super().clean()
        if self.featured_image and not self.featured_image_alt_text:
            raise ValidationError(
                {"featured_image_alt": "The featured image needs alt text for screen readers."}
            )

    def save(self, *args, **kwargs):
        if self.depth and self.path and not self.section_id:
            self.section_id = self.get_parent().pk
        if self.live and not self.first_published_at:
            # Pages made live without Wagtail's publish action (imports, fixtures).
            self.first_published_at = timezone.now()
        if self.first_published_at:
            self.published_at = self.first_published_at
        newest = [d for d in (self.updated_at, self.last_published_at) if d]
        if newest:
            self.updated_at = max(newest)
        self.listed = self.live
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "live" in update_fields:
            kwargs["update_fields"] = {*update_fields, "listed"}
        super().save(*args, **kwargs)

    @property
    def featured_image_alt_text(self) -> str:
        if not self.featured_image:
            return ""
        return self.featured_image_alt or self.featured_image.description

    def authors(self) -> list[Author]:
        if "bylines" in getattr(self, "_prefetched_objects_cache", {}):
            return [byline.author for byline in self.bylines.all()]
        return [byline.author for byline in self.bylines.select_related("author")]

    def get_meta_description(self) -> str:
        return self.search_description or self.standfirst

    def visible_corrections(self):
        """Corrections and updates readers see, oldest first."""
        return [c for c in self.corrections.all() if c.removed_at is None]

    def was_updated(self) -> bool:
        """Shown as "Updated" only when changed well after first publication."""
        if not (self.published_at and self.updated_at):
            return False
        return (self.updated_at - self.published_at).total_seconds() > 600


class Correction(models.Model):
    """A correction or update appended to a published article without republishing its body.

    Never deleted: a removal is recorded (who, when, why) and the correction stops showing.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["-created_at"], name="correction_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.created_at:%d %B %Y}: {self.text[:60]}"

    @property
    def is_visible(self) -> bool:
        return self.removed_at is None


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "author"], name="byline_once_per_article")
        ]


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="tagged_items")
