"""Fixtures of the editorial tests: one person per role, sections, an author, a picture."""

import pytest

from newsdesk.editorial.roles import ADMINISTRATOR, CONTRIBUTOR, EDITOR
from newsdesk.news.factories import AuthorFactory, SectionPageFactory

from .newsroom import make_image, make_user


@pytest.fixture
def contributor(db):
    return make_user("cora", CONTRIBUTOR)


@pytest.fixture
def other_contributor(db):
    return make_user("otto", CONTRIBUTOR)


@pytest.fixture
def editor(db):
    return make_user("edna", EDITOR)


@pytest.fixture
def administrator(db):
    return make_user("ada", ADMINISTRATOR)


@pytest.fixture
def world(home):
    return SectionPageFactory(parent=home, title="World", slug="world")


@pytest.fixture
def politics(home):
    return SectionPageFactory(parent=home, title="Politics", slug="politics")


@pytest.fixture
def reporter(db):
    return AuthorFactory(name="Rita Reporter", slug="rita-reporter")


@pytest.fixture
def picture(db):
    return make_image()


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, running what views defer to the commit (the cache purge) as soon as
    each request ends, as a real request's commit would."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client
