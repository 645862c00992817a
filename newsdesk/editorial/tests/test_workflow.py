"""From draft to published: the Editorial review workflow, its e-mails, previews and revisions,
all through the admin's real views."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from newsdesk.core.testing import soup, text
from newsdesk.editorial.roles import REVIEW_TASK, WORKFLOW
from newsdesk.news.factories import SectionPageFactory
from newsdesk.news.models import ArticlePage

from .newsroom import article_form, draft_article, live_article

pytestmark = pytest.mark.django_db


def submit_new_article(client, contributor, world, reporter, picture, title="Harbour reopens"):
    """The contributor writes an article and presses "Submit to Editorial review"."""
    client.force_login(contributor)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", world.pk]),
        article_form(
            title=title,
            slug="harbour-reopens",
            authors=[reporter],
            image=picture,
            alt="Boats",
            action="submit",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ArticlePage.objects.get(slug="harbour-reopens")


def workflow_action(client, article, action, comment=""):
    task_state = article.current_workflow_state.current_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, action, task_state.pk]),
        {"comment": comment},
    )


def test_every_section_and_article_is_under_editorial_review(home, world):
    later = SectionPageFactory(parent=home, title="Science", slug="science")
    for page in (home, world, later):
        workflow = page.get_workflow()
        assert workflow is not None and workflow.name == WORKFLOW
        assert [task.name for task in workflow.tasks] == [REVIEW_TASK]


def test_submission_notifies_the_editors_and_nobody_else(
    client, contributor, other_contributor, editor, administrator, world, reporter, picture
):
    article = submit_new_article(client, contributor, world, reporter, picture)
    assert not article.live
    state = article.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == contributor
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {editor.email, administrator.email}
    assert all("Harbour reopens" in message.subject for message in mail.outbox)


def test_an_editor_approves_and_so_publishes_and_the_writer_hears_of_it(
    client, contributor, editor, world, reporter, picture
):
    article = submit_new_article(client, contributor, world, reporter, picture)
    mail.outbox.clear()
    client.force_login(editor)
    workflow_action(client, article, "approve")
    article.refresh_from_db()
    assert article.live
    assert article.current_workflow_state is None
    assert [message.to for message in mail.outbox] == [[contributor.email]]
    assert "approved" in mail.outbox[0].subject
    client.logout()
    assert client.get(article.url).status_code == 200


def test_an_editor_rejects_with_a_comment_the_writer_reads_and_resubmits(
    client, contributor, editor, world, reporter, picture
):
    article = submit_new_article(client, contributor, world, reporter, picture)
    mail.outbox.clear()
    client.force_login(editor)
    workflow_action(client, article, "reject", comment="Please attribute the second quote.")
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert [message.to for message in mail.outbox] == [[contributor.email]]
    assert "Please attribute the second quote." in mail.outbox[0].body

    # The writer fixes the story and sends it back; the editors are told again.
    mail.outbox.clear()
    client.force_login(contributor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(
            title="Harbour reopens after repairs",
            slug=article.slug,
            authors=[reporter],
            article=article,
            image=picture,
            alt="Boats",
            action="restart-workflow",
        ),
    )
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert any("Harbour reopens after repairs" in message.subject for message in mail.outbox)


def test_a_contributor_cannot_approve_their_own_submission(
    client, contributor, world, reporter, picture
):
    article = submit_new_article(client, contributor, world, reporter, picture)
    workflow_action(client, article, "approve")
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_desktop_preview_of_a_draft_uses_the_real_article_template(
    client, contributor, world, reporter, picture
):
    article = draft_article(world, contributor, title="Draft headline", authors=[reporter])
    client.force_login(contributor)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    data = article_form(
        title="Previewed headline",
        slug=article.slug,
        authors=[reporter],
        article=article,
        image=picture,
        alt="Boats in the harbour",
        body="<p>Unsaved words of the draft.</p>",
    )
    assert client.post(preview_url, data).json()["is_valid"] is True
    page = soup(client.get(preview_url, {"mode": ""}).content)
    assert text(page.select_one(".article-header h1")) == "Previewed headline"
    assert "Unsaved words of the draft." in text(page.select_one(".article-body"))
    assert page.select_one(".featured-image img")["alt"] == "Boats in the harbour"
    assert text(page.select_one(".byline")) == "By Rita Reporter"
    # Nothing was saved or published by previewing.
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision().content["title"] == (
        "Draft headline"
    )


def test_revisions_compare_and_revert(client, editor, world, reporter, picture):
    article = live_article(world, editor, title="First headline", authors=[reporter])
    first = article.latest_revision
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(
            title="Second headline",
            slug=article.slug,
            authors=[reporter],
            article=article,
            image=picture,
            alt="Boats",
            action="publish",
        ),
    )
    article.refresh_from_db()
    second = article.latest_revision
    assert article.title == "Second headline" and second.pk != first.pk

    compare = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[article.pk, first.pk, second.pk])
    )
    assert compare.status_code == 200
    comparison = soup(compare.content)
    # The title's diff: the word taken out and the word put in.
    assert "First" in [text(span) for span in comparison.select(".deletion")]
    assert "Second" in [text(span) for span in comparison.select(".addition")]

    revert = client.get(reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, first.pk]))
    assert revert.status_code == 200
    title_input = soup(revert.content).select_one("input[name=title]")
    assert title_input["value"] == "First headline"

    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(
            title=title_input["value"],
            slug=article.slug,
            authors=[reporter],
            article=article,
            image=picture,
            alt="Boats",
            action="publish",
        ),
    )
    article.refresh_from_db()
    assert article.title == "First headline"
    assert article.revisions.count() == 3
