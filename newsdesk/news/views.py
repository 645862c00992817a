from django.conf import settings
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from newsdesk.core.pagination import paginate

from .models import ArticlePage, Author


def author(request, slug):
    person = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    stories = ArticlePage.objects.listing().filter(bylines__author=person)
    return render(
        request,
        "news/author_page.html",
        {"author": person, "stories": paginate(stories, request, settings.NEWSDESK_PAGE_SIZE)},
    )


def tag(request, slug):
    label = get_object_or_404(Tag, slug=slug)
    stories = ArticlePage.objects.listing().filter(tagged_items__tag=label)
    return render(
        request,
        "news/tag_page.html",
        {"tag": label, "stories": paginate(stories, request, settings.NEWSDESK_PAGE_SIZE)},
    )
