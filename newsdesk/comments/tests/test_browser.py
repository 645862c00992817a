"""In real Chromium: script payloads typed into every field stay inert, on the article and on
the form shown again with errors; the form works without JavaScript; no axe violations.

The browser ignores the site's Content Security Policy here (``bypass_csp``): escaping alone
must keep the payloads inert, and axe-core can be injected."""

import pytest

from newsdesk.core import testing

from .live import SEED_PATH, Reader, approve_all, set_rules, wait_minimum_time

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert('xss-img') id=xss-img>",
    "<svg onload=alert(1) id=xss-svg></svg>",
    "javascript:alert(1)",
    "'\"><iframe src=javascript:alert(1) id=xss-frame></iframe>",
    "</textarea><script>alert('xss-textarea')</script>",
    '<a href="javascript:alert(1)" id="xss-link">click</a>',
    "<!--fragment:comment_token--><b id=xss-b>x</b><!--/fragment:comment_token-->",
    "{{ request }} {% debug %}",
    "<details open ontoggle=alert(1) id=xss-details>",
    "\u202e<style>*{display:none}</style>",
]
WEBSITES = [
    "https://example.org/?q=\"><script>alert('xss-url')</script>",
    'https://example.org/#"onmouseover="alert(1)',
]

INJECTED = """() => {
    const found = [];
    for (const el of document.querySelectorAll('[id^="xss"], iframe, svg, details, style, object, embed')) {
        found.push(el.outerHTML.slice(0, 80));
    }
    for (const el of document.querySelectorAll('script')) {
        const ok = (el.src && new URL(el.src).pathname.startsWith('/static/'))
            || el.type === 'application/ld+json';
        if (!ok) found.push(el.outerHTML.slice(0, 80));
    }
    for (const el of document.querySelectorAll('#comments *')) {
        for (const attr of el.attributes) {
            if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
        }
    }
    for (const a of document.querySelectorAll('a[href]')) {
        if (!/^(https?:|\\/|#|\\?)/.test(a.getAttribute('href'))) found.push(a.getAttribute('href'));
    }
    return found;
}"""


def watch_dialogs(page) -> list[str]:
    opened = []

    def dismiss(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def test_script_payloads_in_every_field_stay_inert(site, browser):
    set_rules(site.url, site.env, flood_seconds=0)
    forms = []
    readers = []
    for _ in PAYLOADS:
        reader = Reader(site.url)
        readers.append(reader)
        forms.append(reader.form())
    wait_minimum_time()
    for number, payload in enumerate(PAYLOADS):
        response = readers[number].post(
            forms[number],
            comment=f"Payload {number}: {payload}\n\n{payload}",
            author=payload[:100],
            email=f"xss{number}@payload.example",
            url=WEBSITES[number % len(WEBSITES)],
        )
        assert response.status_code == 302, response.text[:500]
    approve_all(site.url, site.env)

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = watch_dialogs(page)
    page.goto(site.url + SEED_PATH)
    for link in page.query_selector_all(".comment-author a")[-2:]:
        link.hover(timeout=5000)
    assert page.evaluate(INJECTED) == []
    shown = page.inner_text("#comments")
    for payload in PAYLOADS:
        assert payload.strip("\u202e") in shown.replace("\u202e", "")
    # And from the page cache (the stored copy is re-rendered around its fragments).
    page.goto(site.url + SEED_PATH)
    assert page.evaluate(INJECTED) == []
    assert dialogs == []
    assert testing.axe_violations(page) == []
    context.close()


def test_payloads_shown_again_with_errors_stay_inert(site, browser):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = watch_dialogs(page)
    page.goto(site.url + SEED_PATH)
    page.evaluate("document.getElementById('commentform').noValidate = true")
    typed = {
        "#comment": "\n".join(PAYLOADS),
        "#author": PAYLOADS[1],
        "#email": "\"><script>alert('xss-email')</script>@x",
        "#url": "javascript:alert('xss-website')",
    }
    for selector, value in typed.items():
        page.fill(selector, value)
    wait_minimum_time()
    page.click("#submit")
    page.wait_for_load_state()
    assert page.evaluate(INJECTED) == []
    assert dialogs == []
    for selector, value in typed.items():
        assert page.input_value(selector) == value
    assert (
        page.inner_text("#email-error") == "Enter a real e-mail address, such as name@example.com."
    )
    assert testing.axe_violations(page) == []
    testing.screenshot(page, "comments-form-errors")
    context.close()


def test_a_reader_without_javascript_posts_and_replies(site, browser):
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    page.goto(site.url + SEED_PATH)
    page.fill("#comment", "Posted without JavaScript.")
    page.fill("#author", "Nora Noscript")
    page.fill("#email", "nora@noscript.example")
    page.check("#wp-comment-cookies-consent")
    wait_minimum_time()
    page.click("#submit")
    page.wait_for_load_state()
    assert "#comment-" in page.url
    anchor = page.url.rsplit("#", 1)[1]
    held = page.locator(f"#{anchor}")
    assert "Your comment is awaiting moderation." in held.inner_text()
    assert page.input_value("#author") == "Nora Noscript"  # remembered: she ticked the box
    approve_all(site.url, site.env)
    page.goto(site.url + SEED_PATH)
    page.click(f"#{anchor} .comment-reply-link")
    assert "replytocom=" in page.url
    assert page.inner_text("#reply-title").startswith("Reply to Nora Noscript")
    page.fill("#comment", "And a reply, still without JavaScript.")
    wait_minimum_time(15.1)  # flood control: the same e-mail address within 15 seconds
    page.click("#submit")
    page.wait_for_load_state()
    reply_anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{anchor} > ol.children > #{reply_anchor}").count() == 1
    context.close()


def test_the_article_with_comments_has_no_axe_violations(site, browser):
    testing.newsdesk(site.env, "comments_demo", "--approved", "8")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site.url + SEED_PATH + "?replytocom=1#respond")
    assert testing.axe_violations(page) == []
    testing.screenshot(page, "comments-thread")
    context.close()
