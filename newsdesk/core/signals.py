"""Signals any app may send when something readers see has changed outside Wagtail's own
publishing signals, so caches can purge exactly what changed (``delivery`` listens).

- ``page_changed``: a page's visible content changed (a comment approved, a correction added).
  Send with ``page=<Page>``.
- ``site_changed``: something on every page changed (the breaking-news banner, the menu).
"""

from django.dispatch import Signal

page_changed = Signal()
site_changed = Signal()
