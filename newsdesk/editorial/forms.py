from django import forms
from wagtail.admin.widgets import AdminPageChooser

from newsdesk.news.models import ArticlePage, Correction


class CorrectionForm(forms.ModelForm):
    """A correction or update appended to a published article (its body stays as published)."""

    article = forms.ModelChoiceField(
        queryset=ArticlePage.objects.all(),
        widget=AdminPageChooser(target_models=[ArticlePage]),
        help_text="The published article to correct or update.",
    )

    class Meta:
        model = Correction
        fields = ["article", "kind", "text"]
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": "Shown to readers as “Correction, <date>: …” under the article, "
            "and on the corrections page.",
        }

    def clean_article(self):
        article = self.cleaned_data["article"]
        if not article.live:
            raise forms.ValidationError(
                "This article is not published: change the draft itself instead of adding "
                "a correction."
            )
        return article


class RemovalForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Kept with the correction: removals are recorded, never silent.",
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError("The code is the 6 digits your app shows.")
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code is not right, or has expired: type the code your app shows now."
            )
        return token
