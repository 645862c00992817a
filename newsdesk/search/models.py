"""The search table readers' queries run on in PostgreSQL (see ``newsdesk.search.documents``)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from newsdesk.news.models import ArticlePage


class Document(models.Model):
    """A published article's search vectors beside its publication date, so the newest matches
    of a query are read in date order from one table. Filled and read on PostgreSQL only (the
    table exists, empty, on SQLite, whose FTS5 table has no such need).

    ``title``, ``body``, ``title_norm`` (and the article's date and section) are copies of the article's row in Wagtail's index
    (``wagtailsearch_indexentry``), written whenever that row is (``newsdesk.search.backends``).
    Which readers may see an article is never read from here: every query checks the article.
    """

    article = models.OneToOneField(
        ArticlePage,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    published_at = models.DateTimeField()
    # The article's section, so a section filter narrows the walk without visiting articles.
    section_id = models.IntegerField(null=True)
    title_norm = models.FloatField(default=1.0)
    title = SearchVectorField()
    body = SearchVectorField()

    class Meta:
        indexes = [
            models.Index(fields=["-published_at", "-article"], name="search_document_newest")
        ]

    def __str__(self) -> str:
        return f"search document of article {self.article_id}"
