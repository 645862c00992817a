"""The reader's comment form (field names as WordPress's, so browsers' autofill knows them)."""

from django import forms
from django.core.validators import URLValidator

from .text import clean_body, clean_line

NAME_MAX = 100
BODY_MAX = 10_000


class CleanedCharField(forms.CharField):
    """A text field that strips invisible and control characters before validating
    (see :mod:`newsdesk.comments.text`), so limits count what will be stored."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_body(value) if self.multiline else clean_line(value)


class CleanedEmailField(forms.EmailField):
    def to_python(self, value):
        return clean_line(super().to_python(value)).lower()


class CleanedURLField(forms.URLField):
    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": "Enter a web address starting with http:// or https://."}

    def to_python(self, value):
        return super().to_python(clean_line(value or ""))


class CommentForm(forms.Form):
    comment = CleanedCharField(
        label="Comment",
        multiline=True,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": "Please type your comment."},
    )
    author = CleanedCharField(
        label="Name",
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please give your name."},
    )
    email = CleanedEmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please give your e-mail address (it will not be published).",
            "invalid": "Enter a real e-mail address, such as name@example.com.",
        },
    )
    url = CleanedURLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    article = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    # The honeypot: hidden from people by the stylesheet; bots fill every field they find.
    fax = forms.CharField(required=False, label="Leave this field empty", max_length=200)
