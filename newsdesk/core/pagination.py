"""Listing pages without ``COUNT(*)``: fronts must stay fast at a million articles.

A page fetches one row more than it shows to learn whether an older page exists, so the cost
of a page is one indexed range read whatever the size of the archive.
"""

from dataclasses import dataclass

from django.http import Http404

MAX_PAGE = 100_000


@dataclass
class PageWindow:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404("No such page of stories.")
    return int(raw)


def paginate(queryset, request, per_page: int) -> PageWindow:
    number = page_number(request)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if number > 1 and not rows:
        raise Http404("No such page of stories.")
    return PageWindow(items=rows[:per_page], number=number, has_next=len(rows) > per_page)
