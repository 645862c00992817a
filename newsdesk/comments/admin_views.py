"""The moderators' queues in the Wagtail admin: Pending, Approved, Spam and Trash, bulk and
single actions, editing a comment, and replying as a member of the newsroom."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import moderation
from .forms import BODY_MAX, NAME_MAX, CleanedCharField, CleanedEmailField, CleanedURLField
from .models import Comment, Status

ACTIONS = {
    "approve": (moderation.perform_approve, "approved"),
    "spam": (moderation.perform_spam, "marked as spam"),
    "trash": (moderation.perform_trash, "moved to the trash"),
    "restore": (moderation.perform_restore, "restored"),
}


class ModeratorOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("comments.moderate_comment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def queue_counts() -> dict[str, int]:
    found = dict(Comment.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: found.get(status, 0) for status in Status.values}


class QueueView(ModeratorOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "comments/admin/queue.html"
    header_icon = "comment"
    page_title = "Comments"
    per_page = 50

    def status(self) -> str:
        status = self.request.GET.get("status", Status.PENDING)
        return status if status in Status.values else Status.PENDING

    def get_page_subtitle(self):
        return Status(self.status()).label

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.status()
        counts = queue_counts()
        comments = (
            Comment.objects.filter(status=status)
            .select_related("article", "parent")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(comments, self.per_page).get_page(self.request.GET.get("p"))
        context.update(
            status=status,
            tabs=[(value, label, counts[value]) for value, label in Status.choices],
            comments=page,
            actions=self.actions_for(status),
        )
        return context

    @staticmethod
    def actions_for(status: str) -> list[tuple[str, str]]:
        return {
            Status.PENDING: [("approve", "Approve"), ("spam", "Spam"), ("trash", "Trash")],
            Status.APPROVED: [("spam", "Spam"), ("trash", "Trash")],
            Status.SPAM: [("restore", "Not spam"), ("trash", "Trash")],
            Status.TRASH: [("restore", "Restore"), ("spam", "Spam")],
        }[status]

    def post(self, request, *args, **kwargs):
        single = request.POST.get("single", "")
        if single:
            action, _, raw_id = single.partition(":")
            ids = [raw_id]
        else:
            action = request.POST.get("action", "")
            ids = request.POST.getlist("ids")
        ids = [int(i) for i in ids if i.isdigit()]
        if action not in ACTIONS:
            messages.error(request, "Choose an action.")
        elif not ids:
            messages.error(request, "Tick at least one comment.")
        else:
            perform, done = ACTIONS[action]
            moved = perform(list(Comment.objects.filter(pk__in=ids)), request.user)
            messages.success(request, f"{moved} comment{'s' if moved != 1 else ''} {done}.")
        return redirect(f"{reverse('comments_admin:queue')}?status={self.status()}")


class CommentEditForm(forms.ModelForm):
    name = CleanedCharField(max_length=NAME_MAX)
    email = CleanedEmailField(max_length=254)
    website = CleanedURLField(required=False, max_length=200, assume_scheme="https")
    body = CleanedCharField(multiline=True, max_length=BODY_MAX, widget=forms.Textarea)

    class Meta:
        model = Comment
        fields = ["name", "email", "website", "body", "status"]


class EditView(ModeratorOnly, WagtailAdminTemplateMixin, FormView):
    template_name = "comments/admin/edit.html"
    header_icon = "comment"
    page_title = "Edit comment"
    form_class = CommentEditForm

    def dispatch(self, request, *args, **kwargs):
        self.comment = get_object_or_404(Comment.objects.select_related("article"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.comment.article.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.comment}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "comment": self.comment}

    def form_valid(self, form):
        comment = form.save(commit=False)
        before = Comment.objects.get(pk=comment.pk).status
        if before != comment.status:
            new_status = comment.status
            comment.status = before
            moderation.perform_edit(comment, self.request.user)
            moderation.set_status([comment], new_status, self.request.user)
        else:
            moderation.perform_edit(comment, self.request.user)
        messages.success(self.request, "Comment saved.")
        return redirect(f"{reverse('comments_admin:queue')}?status={comment.status}")


class ReplyForm(forms.Form):
    body = CleanedCharField(
        label="Your reply", multiline=True, max_length=BODY_MAX, widget=forms.Textarea
    )


class ReplyView(ModeratorOnly, WagtailAdminTemplateMixin, FormView):
    template_name = "comments/admin/reply.html"
    header_icon = "comment"
    page_title = "Reply to a comment"
    form_class = ReplyForm

    def dispatch(self, request, *args, **kwargs):
        self.comment = get_object_or_404(Comment.objects.select_related("article"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.comment.article.title

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "comment": self.comment}

    def form_valid(self, form):
        reply = moderation.perform_reply(self.comment, self.request.user, form.cleaned_data["body"])
        messages.success(self.request, "Reply published.")
        return redirect(f"{reply.article.url}#{reply.anchor}")
