from datetime import date

from django import forms

from newsdesk.core import restrictions
from newsdesk.news.models import SectionPage

from .engine import SORTS


def live_sections() -> list[SectionPage]:
    """The public top-level sections, in site order: one query (restrictions from the cache)."""
    return list(
        SectionPage.objects.live()
        .filter(depth=3)
        .exclude(restrictions.private_q())
        .order_by("path")
    )


def section_choices(sections=None):
    sections = live_sections() if sections is None else sections
    return [("", "All sections"), *((s.slug, s.title) for s in sections)]


class DateInput(forms.DateInput):
    """A date picker; what it cannot show (a date typed badly) is echoed in the error instead,
    since a date input may only hold a valid date."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


DATE_ERRORS = {"invalid": "Enter a date as YYYY-MM-DD."}


class SearchForm(forms.Form):
    """The filters beside the query; the query itself is parsed by :mod:`.query`."""

    section = forms.ChoiceField(required=False)
    date_from = forms.DateField(
        required=False, label="From", widget=DateInput(), error_messages=DATE_ERRORS
    )
    date_to = forms.DateField(
        required=False, label="To", widget=DateInput(), error_messages=DATE_ERRORS
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(s, "Most relevant" if s == "relevance" else "Newest first") for s in SORTS],
        label="Sort by",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = live_sections()
        self.fields["section"].choices = section_choices(sections)
        self.sections = {s.slug: s for s in sections}

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data
