"""The public corrections page, and the newsroom's admin views: corrections, two-factor sign-in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from newsdesk.core.pagination import paginate
from newsdesk.core.signals import page_changed
from newsdesk.news.models import ArticlePage, Correction

from . import two_factor
from .forms import CorrectionForm, RemovalForm, TokenForm

# --- Public --------------------------------------------------------------------------------


def corrections_page(request):
    """Every visible correction and update, newest first, one indexed range read per page."""
    corrections = (
        Correction.objects.filter(
            removed_at__isnull=True,
            article__in=ArticlePage.objects.filter(listed=True).public().values("pk"),
        )
        .select_related("article", "article__section")
        .order_by("-created_at", "-pk")
    )
    # A correction changes its article, and every article change purges the feeds: this page
    # is a feed of corrections, so it is kept until then.
    request.cache_tags = ["site", "feeds"]
    window = paginate(corrections, request, settings.NEWSDESK_PAGE_SIZE)
    return render(request, "editorial/corrections_page.html", {"corrections": window})


# --- Corrections in the admin ----------------------------------------------------------------


def require_perm(user, codename: str) -> None:
    if not user.has_perm(codename):
        raise PermissionDenied


def corrections_index(request):
    if not (
        request.user.has_perm("news.add_correction")
        or request.user.has_perm("news.change_correction")
    ):
        raise PermissionDenied
    corrections = Correction.objects.select_related("article", "created_by", "removed_by").order_by(
        "-created_at", "-pk"
    )
    article = None
    add_url = reverse("editorial_correction_add")
    if (article_id := request.GET.get("article", "")).isdigit():
        article = ArticlePage.objects.filter(pk=article_id).first()
        corrections = corrections.filter(article_id=article_id)
        add_url += f"?article={article_id}"
    return render(
        request,
        "editorial/admin/corrections_index.html",
        {
            "corrections": paginate(corrections, request, 50),
            "article": article,
            "add_url": add_url if request.user.has_perm("news.add_correction") else None,
            "can_remove": request.user.has_perm("news.change_correction"),
        },
    )


def correction_add(request):
    require_perm(request.user, "news.add_correction")
    initial = {}
    if (article_id := request.GET.get("article", "")).isdigit():
        initial["article"] = article_id
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        correction = append_correction(form, request.user)
        messages.success(
            request,
            f"{correction.get_kind_display()} added to “{correction.article.title}”.",
        )
        return redirect(f"{reverse('editorial_corrections')}?article={correction.article_id}")
    return render(request, "editorial/admin/correction_add.html", {"form": form})


@transaction.atomic
def append_correction(form: CorrectionForm, user) -> Correction:
    """Store the correction, bump the article's updated date without a new revision, log it in
    the page's history and refresh every cached page that shows the article."""
    now = timezone.now()
    correction = form.save(commit=False)
    correction.created_by = user
    correction.created_at = now
    correction.save()
    article = correction.article
    ArticlePage.objects.filter(pk=article.pk).update(updated_at=now)
    article.updated_at = now
    log(
        instance=article,
        action="newsdesk.correction.add",
        user=user,
        data={"kind": correction.kind, "text": correction.text[:200]},
    )
    transaction.on_commit(lambda: page_changed.send(sender=Correction, page=article))
    return correction


def correction_remove(request, pk: int):
    require_perm(request.user, "news.change_correction")
    correction = get_object_or_404(Correction.objects.select_related("article"), pk=pk)
    if correction.removed_at is not None:
        messages.warning(request, "This correction was already removed.")
        return redirect(f"{reverse('editorial_corrections')}?article={correction.article_id}")
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        remove_correction(correction, request.user, form.cleaned_data["reason"])
        messages.success(request, "The correction no longer shows; its removal is recorded.")
        return redirect(f"{reverse('editorial_corrections')}?article={correction.article_id}")
    return render(
        request,
        "editorial/admin/correction_remove.html",
        {"form": form, "correction": correction},
    )


@transaction.atomic
def remove_correction(correction: Correction, user, reason: str) -> None:
    correction.removed_at = timezone.now()
    correction.removed_by = user
    correction.removal_reason = reason
    correction.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    article = correction.article
    log(
        instance=article,
        action="newsdesk.correction.remove",
        user=user,
        data={"text": correction.text[:200], "reason": reason[:200]},
    )
    transaction.on_commit(lambda: page_changed.send(sender=Correction, page=article))


# --- Two-factor authentication -------------------------------------------------------------


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def two_factor_status(request):
    user = request.user
    return render(
        request,
        "editorial/admin/two_factor_status.html",
        {
            "has_authenticator": two_factor.has_authenticator(user),
            "required": two_factor.required_for(user, request),
        },
    )


def two_factor_setup(request):
    user = request.user
    if two_factor.has_authenticator(user) and not user.is_verified():
        # Replacing an authenticator needs the current one first.
        return redirect(f"{reverse('editorial_two_factor_verify')}?next={request.path}")
    device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        two_factor.confirm(device)
        otp_login(request, device)
        messages.success(request, "Two-factor authentication is on for your account.")
        return redirect(safe_next(request, reverse("editorial_two_factor")))
    return render(
        request,
        "editorial/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "required": two_factor.required_for(user, request),
            "next": safe_next(request, ""),
        },
    )


def two_factor_verify(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect(safe_next(request, reverse("wagtailadmin_home")))
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(safe_next(request, reverse("wagtailadmin_home")))
    return render(
        request,
        "editorial/two_factor_verify.html",
        {"form": form, "next": safe_next(request, "")},
    )


@require_POST
def two_factor_disable(request):
    user = request.user
    if two_factor.required_for(user, request):
        messages.error(request, "Your group requires two-factor authentication: it stays on.")
    else:
        two_factor.remove_authenticators(user)
        messages.success(request, "Two-factor authentication is off for your account.")
    return redirect("editorial_two_factor")


def two_factor_reset(request, user_id: int):
    """An administrator clears a colleague's authenticator (a lost phone)."""
    require_perm(request.user, "auth.change_user")
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        two_factor.remove_authenticators(person)
        log(instance=person, action="newsdesk.two_factor.reset", user=request.user)
        messages.success(
            request, f"{person.get_username()} will set up a new authenticator at next sign-in."
        )
        return redirect("wagtailusers_users:index")
    return render(
        request,
        "editorial/admin/two_factor_reset.html",
        {"person": person, "has_authenticator": two_factor.has_authenticator(person)},
    )
