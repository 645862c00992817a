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
    if start == 0:
        rows = list(queryset[: per_page + 1])
    else:
        # Deep pages: skip rows by primary key only (an index-only scan when the ordering is
        # indexed), then load the few rows shown. Loading whole rows just to skip them made
        # page 500 of a large section cost hundreds of milliseconds.
        ids = list(queryset.values_list("pk", flat=True)[start : start + per_page + 1])
        found = {row.pk: row for row in queryset.filter(pk__in=ids)}
        rows = [found[pk] for pk in ids if pk in found]
    if number > 1 and not rows:
        raise Http404("No such page of stories.")
    return PageWindow(items=rows[:per_page], number=number, has_next=len(rows) > per_page)
