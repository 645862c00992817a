"""The comment form's token: signed, time-stamped, one per page view.

The article page is cached whole for anonymous readers, so it cannot hold a per-reader CSRF
token (and readers have no session for one to belong to). The form instead carries this token,
rendered by the ``comment_token`` fragment (:mod:`newsdesk.core.fragments`): the page cache
renders it afresh on every hit, so each page view gets its own. It says *which article*, *when*
the form was served and a random *nonce*. The server checks, without any storage:

- the signature (made with the site's secret key: a bot cannot invent one);
- the article (a token for one article does not post to another);
- the age: at least ``minimum_seconds`` (humans take longer to write than bots) and at most
  :data:`MAX_AGE` (a front cache may serve a page up to a day stale; older tokens are refused
  with a request to reload);
- the nonce, with the e-mail address and the text, makes the comment's client token: a second
  post of the same form (double click, network retry) finds the first comment instead of storing
  another.

Behind a front cache (Varnish, a CDN) the page, token included, is shared for up to its
``s-maxage``: readers served the same copy share a token (its age then counts from when the
front cache fetched the page). Their comments differ in author and text, so each is stored.

The token is not what stops cross-site posting (any site could fetch a token from our page);
:func:`newsdesk.comments.views.cross_site` does that, from the browser's Origin and
Sec-Fetch-Site headers.
"""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "newsdesk.comments.form"
MAX_AGE = 2 * 24 * 60 * 60


@dataclass(frozen=True)
class FormToken:
    article: int
    issued: float
    nonce: str

    @property
    def age(self) -> float:
        return time.time() - self.issued


_signers: dict[tuple, signing.Signer] = {}


def signer() -> signing.Signer:
    """One signer per secret key (and fallbacks): a token is issued on every page view, cached
    or not, and building a signer costs as much as signing."""
    keys = (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    found = _signers.get(keys)
    if found is None:
        _signers.clear()
        found = _signers[keys] = signing.Signer(salt=SALT)
    return found


def issue(article_id: int, now: float | None = None) -> str:
    """``article:time:nonce:signature``: plain text signed, no JSON to write or read."""
    issued = round(now if now is not None else time.time(), 3)
    return signer().sign(f"{int(article_id)}:{issued}:{secrets.token_urlsafe(18)}")


def read(value: str) -> FormToken | None:
    """The token's contents, or None when it is forged, damaged or too old."""
    if not value or len(value) > 200:
        return None
    try:
        fields = signer().unsign(value).split(":")
        if len(fields) == 3:
            article, issued, nonce = fields
        else:
            # Time-stamped signed JSON, as tokens were issued before December 2026: pages
            # holding them may still be in front caches, and a comment must not be refused.
            payload = signing.loads(value, salt=SALT)
            article, issued, nonce = payload["a"], payload["t"], payload["n"]
        token = FormToken(int(article), float(issued), str(nonce))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if token.age > MAX_AGE or token.age < -5:
        return None
    return token
