import json
import logging
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from config.client_ip import client_ip
from roadmap.models import PayRegion

from .. import throttling, userdata
from ..deletion import forget_account
from ..forms import ProfileForm, SignUpForm
from ..models import User

logger = logging.getLogger(__name__)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, throttled, with links built from SITE_URL (not the Host header).

    Over the per-address limit no mail goes out, yet the page is the same as ever, so it
    tells no one whether the address has an account.
    """

    def post(self, request, *args, **kwargs):
        if not throttling.allow(
            "reset-ip", client_ip(request), settings.PASSWORD_RESET_LIMIT_PER_HOUR
        ):
            return throttling.too_many(request, "Too many password reset requests.")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if not throttling.allow("reset-mail", email, settings.PASSWORD_RESET_MAILS_PER_ADDRESS):
            return redirect(self.get_success_url())
        scheme, _, domain = settings.SITE_URL.partition("://")
        self.extra_email_context = {"protocol": scheme, "domain": domain, "site_name": domain}
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("roadmap:path")
    next_url = safe_next(request)
    if request.method == "POST" and not throttling.sign_up_allowed(request, next_url):
        return throttling.too_many(
            request,
            "Too many sign-ups from your network. Please try again in an hour, or ask your "
            "team for an invite link: sign-ups through one are counted apart.",
        )
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The address becomes the account's only once confirmed from a mail, and the answer
        # is the same whether or not another account has it: sign-up tells no one that.
        email = form.cleaned_data["email"]
        user = form.save(commit=False)
        user.email = ""
        user.save()
        mail_about_new_address(user, email)
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        messages.info(
            request,
            f"We sent a message to {email}: follow its link to confirm the address. Until "
            "then, sign in with your username.",
        )
        if next_url:  # an invite link, say: back to it
            messages.success(request, "Welcome! Your account is ready.")
            return redirect(next_url)
        messages.success(request, "Welcome! Say where you are and where you want to go.")
        return redirect("roadmap:path")
    status = 400 if form.errors else 200
    ctx = {"form": form, "next": next_url}
    return render(request, "accounts/signup.html", ctx, status=status)


def safe_next(request):
    """The `next` address sent with the request, if it stays on this site; else ''."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


def mail_about_new_address(user, email):
    """At sign-up, mail the address a link that makes it the account's; if another account
    has it already, mail its owner a notice instead. At most a few mails an address an
    hour, counted apart from password-reset mail."""
    if not throttling.allow(
        "sign-up-notice-mail", email.lower(), settings.SIGN_UP_NOTICES_PER_ADDRESS
    ):
        return
    # Another account's address: its owner hears of it. The user's own address (asked for
    # again from the profile) just gets a fresh link.
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        send_mail(
            "Someone tried to create an account with your address",
            "Someone tried to create an AI roadmap account with this email address, which "
            "already has one. The new account was not given this address. If it was you, "
            "sign in with your username or this address, or reset your password at "
            f"{settings.SITE_URL}{reverse('accounts:password_reset')}.\n\n"
            "If it was not you, you need do nothing.",
            None,
            [email],
        )
        return
    token = signing.dumps({"user": user.pk, "email": email}, salt=CONFIRM_SALT)
    send_mail(
        "Confirm your email address",
        f"Someone, we hope you, signed up to the AI roadmap as {user.username} with this "
        "address. To confirm it, so that you can sign in with it and reset your password, "
        f"open {settings.SITE_URL}{reverse('accounts:confirm_email', args=[token])} within "
        f"{CONFIRM_DAYS} days.\n\nIf it was not you, you need do nothing: the address is "
        "not used until it is confirmed.",
        None,
        [email],
    )


class EmailForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")


@login_required
@require_http_methods(["POST"])
def change_email(request):
    """Add or change the account's address: like sign-up, a link to confirm it is mailed to
    the address, and the answer is the same whether or not another account has it."""
    form = EmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That is not an email address: nothing was changed.")
        return redirect(reverse("accounts:profile") + "#email")
    if not throttling.allow("email-change", request.user.pk, EMAIL_CHANGES_PER_HOUR):
        return throttling.too_many(
            request, "You asked for several confirmation links this hour: try again later."
        )
    email = form.cleaned_data["email"].strip()
    mail_about_new_address(request.user, email)
    messages.info(
        request,
        f"We sent a message to {email}: follow its link to confirm the address. Until then, "
        "your account keeps the address it had.",
    )
    return redirect(reverse("accounts:profile") + "#email")


EMAIL_CHANGES_PER_HOUR = 5
CONFIRM_SALT = "accounts.confirm-email"
CONFIRM_DAYS = 7


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """The link from the sign-up mail: a page with a button (a mail scanner's GET changes
    nothing); the button makes the address the account's, unless another has it by now."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 86400)
        user = User.objects.get(pk=data["user"])
        email = data["email"]
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        ctx = {
            "problem": "This confirmation link is not valid: it may have expired, or been "
            "cut short when it was copied."
        }
        return render(request, "accounts/confirm_email.html", ctx, status=400)
    ctx = {"email": email, "token": token}
    if request.method == "POST":
        with transaction.atomic():
            taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
            if not taken:
                User.objects.filter(pk=user.pk).update(email=email)
        if taken:
            ctx["problem"] = "This address already belongs to an account, so it cannot be added."
            return render(request, "accounts/confirm_email.html", ctx, status=409)
        messages.success(request, f"{email} is confirmed: you can sign in with it.")
        return redirect("roadmap:path" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/confirm_email.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your roles are saved. Your progress is kept as it was.")
        return redirect("roadmap:path")
    status = 400 if form.errors else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@login_required
@require_http_methods(["POST"])
def set_pay_region(request):
    """The region switcher of a signed-in user: the choice is kept on the account."""
    region = request.POST.get("region", "")
    if region not in PayRegion.values:
        messages.error(request, "Choose one of the regions listed.")
    else:
        request.user.pay_region = region
        request.user.save(update_fields=["pay_region"])
        messages.success(request, f"Pay is shown for {PayRegion(region).label}; we keep this.")
    return redirect(safe_next(request) or reverse("roadmap:path"))


@login_required
@require_http_methods(["GET"])
def my_data(request):
    """Everything the app holds about the user, as a JSON download."""
    user = request.user
    data = userdata.everything(user)
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    filename = f"ai-roadmap-{user.username}-{timezone.localdate().isoformat()}.json"
    return HttpResponse(
        body,
        content_type="application/json; charset=utf-8",
        headers={
            # Any username, Latin-1 or not (RFC 6266 filename*).
            "Content-Disposition": content_disposition_header(True, filename),
            "Cache-Control": "no-store",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.method == "POST":
        if request.POST.get("confirm") != request.user.username:
            messages.error(request, "Type your username exactly to confirm.")
            return render(request, "accounts/delete.html", status=400)
        user = request.user
        try:
            with transaction.atomic():
                forget_account(user)
        except DatabaseError:
            logger.exception("Deleting account %s failed", user.pk)
            messages.error(request, "Your account could not be deleted. Nothing was removed.")
            return render(request, "accounts/delete.html", status=500)
        # Signed out only once the account is really gone.
        logout(request)
        messages.success(request, "Your account and all your progress have been deleted.")
        return redirect("roadmap:home")
    return render(request, "accounts/delete.html")


@login_required
@require_http_methods(["POST"])
def share(request):
    """Start, change or stop sharing a read-only page of the path."""
    user = request.user
    action = request.POST.get("action")
    if action in ("start", "notes"):
        name = " ".join(request.POST.get("display_name", "").split())
        problem = display_name_problem(name)
        if problem:
            messages.error(request, problem)
            ctx = {"form": ProfileForm(instance=user)}
            return render(request, "accounts/profile.html", ctx, status=400)
        user.display_name = name
    if action == "start":
        # A new unguessable address each time: a revoked link never comes back to life.
        user.share_token = secrets.token_urlsafe(24)
        user.share_notes = request.POST.get("notes") == "on"
        messages.success(request, "Your path is shared. Anyone with the link can see it.")
    elif action == "notes":
        if not user.share_token:
            messages.error(request, "Share your path first.")
            return redirect("accounts:profile")
        user.share_notes = request.POST.get("notes") == "on"
        messages.success(request, "Sharing settings saved.")
    elif action == "stop":
        user.share_token = None
        user.share_notes = False
        messages.success(request, "Your path is no longer shared; the old link shows nothing.")
    else:
        messages.error(request, "Choose to start or stop sharing.")
        return render(
            request, "accounts/profile.html", {"form": ProfileForm(instance=user)}, status=400
        )
    user.save(update_fields=["share_token", "share_notes", "display_name"])
    return redirect("accounts:profile")


@login_required
@require_http_methods(["POST"])
def calendar_feed(request):
    """Make the secret calendar address, make a new one (the old one then shows nothing),
    or stop the feed."""
    user = request.user
    action = request.POST.get("action")
    if action in ("start", "reset"):
        # A new unguessable address each time: a reset link never comes back to life.
        user.calendar_token = secrets.token_urlsafe(24)
        if action == "reset":
            text = "Your calendar has a new address; the old one shows nothing any more."
        else:
            text = "Your calendar feed is ready: add its address to your calendar app."
    elif action == "stop":
        user.calendar_token = None
        text = "Your calendar feed is off; its address shows nothing any more."
    else:
        messages.error(request, "Choose to make, reset or stop your calendar address.")
        return render(
            request, "accounts/profile.html", {"form": ProfileForm(instance=user)}, status=400
        )
    user.save(update_fields=["calendar_token"])
    messages.success(request, text)
    return redirect(reverse("accounts:profile") + "#calendar")


def display_name_problem(name):
    if len(name) > 60:
        return "The name to show can be at most 60 characters."
    if "@" in name:
        return "The name to show cannot be an email address: it is published on the page."
    if any(not ch.isprintable() for ch in name):
        return "The name to show can only hold printable characters."
    return None
