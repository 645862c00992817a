"""The admin form of articles: the content model's own checks, plus the newsroom's publishing
rules, which feature apps supply through the ``newsdesk_article_form_clean`` hook (``news``
imports no feature app)."""

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm

# The buttons of Wagtail's edit view that ask for the article to go out (now, at its go-live
# time, or to an editor); plain "Save draft" is not among them.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # The admin fills the slug from the headline as it is typed; without JavaScript an
            # empty slug is made from the headline when saved (Page.full_clean).
            self.fields["slug"].required = False

    @property
    def is_publishing(self) -> bool:
        """True when the editor asked to publish, schedule, submit or approve."""
        return any(self.data.get(action) for action in PUBLISHING_ACTIONS)

    def clean(self):
        cleaned_data = super().clean()
        for check in hooks.get_hooks("newsdesk_article_form_clean"):
            check(self, cleaned_data)
        return cleaned_data
