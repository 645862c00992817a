"""Newsdesk: a news publishing platform on Wagtail."""
