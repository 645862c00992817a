"""Feeds, sitemaps and robots.txt (DESIGN.md's URL map). Included before Wagtail's catch-all,
so ``/<section>/feed/`` reaches the section feed rather than the page tree."""

from django.urls import path

from . import views
from .generators import FORMATS

app_name = "syndication"

SUFFIXES = {"rss": "", "atom": "atom/", "json": "json/"}
assert set(SUFFIXES) == set(FORMATS)  # noqa: S101 - a new format needs an address

urlpatterns = [
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemap-<slug:name>-<int:number>.xml", views.sitemap, name="sitemap"),
]
for fmt, suffix in SUFFIXES.items():
    urlpatterns += [
        path(f"feed/{suffix}", views.feed("site", fmt), name=f"site_{fmt}"),
        path(f"authors/<slug:slug>/feed/{suffix}", views.feed("author", fmt), name=f"author_{fmt}"),
        path(f"tags/<str:slug>/feed/{suffix}", views.feed("tag", fmt), name=f"tag_{fmt}"),
        path(f"<str:slug>/feed/{suffix}", views.feed("section", fmt), name=f"section_{fmt}"),
    ]
