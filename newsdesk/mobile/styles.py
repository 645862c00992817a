"""The mobile page's only stylesheet, inlined in its ``<style>`` element.

The page is one HTML document, so its CSS travels inside it; the Content-Security-Policy allows
exactly this text by its SHA-256 hash (computed from the file when the app starts), never with
``'unsafe-inline'``.
"""

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

CSS_FILE = Path(__file__).resolve().parent / "templates" / "mobile" / "mobile.css"
# Within the first round trip of TCP slow start with everything else the page carries.
MAX_BYTES = 14 * 1024


@dataclass(frozen=True)
class InlineStyle:
    css: SafeString
    source: str  # the CSP source allowing it: 'sha256-…'

    @property
    def size(self) -> int:
        return len(self.css.encode())


_style: InlineStyle | None = None


def load() -> InlineStyle:
    global _style
    if _style is None:
        css = CSS_FILE.read_text(encoding="utf-8").strip()
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        _style = InlineStyle(css=mark_safe(css), source=f"'sha256-{digest}'")  # noqa: S308 - our file
    return _style
