"""The editors' dashboard: trending now, an SVG chart drawn on the server, views by section,
and each article's own history reached from its edit page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone
from lxml import etree

from newsdesk.core.testing import soup, text
from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory
from newsdesk.readership import clock
from newsdesk.readership.models import HourlyViews, TrendingSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_site(section):
    # Yesterday at noon: both hours of views (now and five hours ago) fall on one UTC day, as
    # the history's "today" row expects, whatever the hour the suite runs at.
    noon = (datetime.now(UTC) - timedelta(days=1)).replace(hour=12, minute=0, second=0)
    with time_machine.travel(noon, tick=True):
        science = SectionPageFactory(title="Science", slug="science")
        now = timezone.now().replace(microsecond=0)
        pages = [
            ArticlePageFactory(
                parent=section if n % 2 else science,
                title=f"Story {n}",
                first_published_at=now - timedelta(hours=n + 1),
            )
            for n in range(4)
        ]
        hour = clock.hour_of(clock.now())
        for n, page in enumerate(pages):
            HourlyViews.objects.create(article=page, hour=hour, views=10 * (n + 1))
            HourlyViews.objects.create(article=page, hour=hour - 5, views=n + 1)
        yield pages


def svg_charts(html):
    """Each inline SVG chart, parsed as XML."""
    return [etree.fromstring(str(svg).encode()) for svg in soup(html).select("figure > svg")]


def test_dashboard_panel_shows_trending_chart_and_sections(admin_client, read_site):
    html = admin_client.get("/admin/").content
    panel = soup(html).select_one("section.readership-panel")
    rows = [
        [text(td) for td in tr.select("td")] for tr in panel.select("table")[0].select("tbody tr")
    ]
    assert [row[0] for row in rows] == ["Story 3", "Story 2", "Story 1", "Story 0"]
    assert rows[0][2] == "44"
    charts = svg_charts(str(panel))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    lines = charts[0].findall("svg:polyline", ns)
    assert len(lines) == 4
    assert all(len(line.get("points").split()) == 48 for line in lines)
    assert charts[0].find("svg:title", ns).text.startswith("Views per hour")
    sections = [
        [text(td) for td in tr.select("td")] for tr in panel.select("table")[1].select("tbody tr")
    ]
    assert sections == [["World", "66"], ["Science", "44"]]
    assert len(charts[1].findall("svg:rect", ns)) == 2
    assert not soup(html).select("script[src*='//']"), "no chart library from a CDN"


def test_article_history_is_reached_from_the_edit_page(admin_client, read_site):
    story = read_site[3]
    edit = soup(admin_client.get(f"/admin/pages/{story.pk}/edit/").content)
    link = edit.find("a", href=f"/admin/readership/articles/{story.pk}/")
    assert link is not None and "Readership" in text(link)
    page = admin_client.get(link["href"])
    assert page.status_code == 200
    html = soup(page.content)
    assert "44 views in all" in text(html)
    hourly, daily = svg_charts(page.content)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    points = hourly.find("svg:polyline", ns).get("points").split()
    assert len(points) == 48
    assert len(daily.findall("svg:rect", ns)) == 90
    today = [text(td) for td in html.select("details tbody tr")[0].select("td")]
    assert today[1] == "44"


def test_people_who_cannot_edit_the_article_cannot_see_its_readership(client, read_site):
    user = User.objects.create_user("reader", password="x" * 12)
    admin_only = Group.objects.create(name="Admin access only")
    admin_only.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(admin_only)
    client.force_login(user)
    response = client.get(f"/admin/readership/articles/{read_site[0].pk}/")
    assert response.status_code in {302, 403}


def test_trending_settings_are_editable_in_the_admin(admin_client):
    form = admin_client.get("/admin/settings/readership/trendingsettings/")
    assert form.status_code in {200, 302}
    settings_url = (
        form.url if form.status_code == 302 else "/admin/settings/readership/trendingsettings/"
    )
    page = admin_client.get(settings_url)
    names = {field["name"] for field in soup(page.content).select("input[name]")}
    assert {"half_life_hours", "window_hours", "max_age_days", "hourly_retention_days"} <= names
    data = {
        "half_life_hours": "12",
        "window_hours": "24",
        "max_age_days": "2",
        "minimum_articles": "3",
        "hourly_retention_days": "90",
    }
    assert admin_client.post(settings_url, data).status_code == 302
    config = TrendingSettings.load()
    assert (config.half_life_hours, config.window_hours, config.max_age_days) == (12, 24, 2)
    bad = admin_client.post(settings_url, {**data, "half_life_hours": "0"})
    assert bad.status_code == 200  # the form comes back with the error and what was typed
    assert soup(bad.content).select_one("input[name=half_life_hours]")["value"] == "0"
