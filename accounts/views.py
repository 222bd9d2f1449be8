import json
import logging
import secrets
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
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

from . import throttling
from .forms import ProfileForm, SignUpForm
from .models import Invite, Membership, Team

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
    if request.method == "POST" and not throttling.allow(
        "signup", client_ip(request), settings.SIGNUP_LIMIT_PER_HOUR
    ):
        return throttling.too_many(request, "Too many sign-ups from your network.")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.has_error("email", "duplicate"):
        tell_owner_of_sign_up_attempt(form.data.get("email", "").strip())
    next_url = safe_next(request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
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


def tell_owner_of_sign_up_attempt(email):
    """Mail the owner of an address someone tried to sign up with (at most a few an hour)."""
    if not throttling.allow(
        "reset-mail", email.lower(), settings.PASSWORD_RESET_MAILS_PER_ADDRESS
    ):
        return
    send_mail(
        "Someone tried to create an account with your address",
        "Someone tried to create an AI roadmap account with this email address, which "
        "already has one. If it was you, sign in with your username or this address, or "
        f"reset your password at {settings.SITE_URL}{reverse('password_reset')}.\n\n"
        "If it was not you, you need do nothing: no account was created.",
        None,
        [email],
    )


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
    data = {
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "display_name": user.display_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": {
            "current_role": user.current_role.slug if user.current_role else None,
            "target_role": user.target_role.slug if user.target_role else None,
            "email_me_about_changes": user.notify_by_email,
            "hours_per_week": user.hours_per_week,
            "pay_region": user.pay_region,
        },
        # The share link itself is a secret: whether it is on, not its address.
        "sharing": {
            "shared_page_on": bool(user.share_token),
            "shared_page_shows_notes": user.share_notes,
        },
        "skills": [
            {
                "skill": p.skill.slug,
                "status": p.status,
                "started_at": p.started_at,
                "completed_at": p.completed_at,
                "note": p.note,
                "evidence_url": p.evidence_url,
                "hours_estimate": p.hours_estimate,
                "credited_from_current_role": bool(p.credited_from),
                "updated_at": p.updated_at,
            }
            for p in user.skill_progress.select_related("skill").order_by("skill__slug")
        ],
        "teams": [
            {
                "team": m.team.name,
                "role": m.role,
                "joined_at": m.joined_at,
                "suggested_target_role": m.suggested_role.slug if m.suggested_role else None,
            }
            for m in user.memberships.select_related("team", "suggested_role").order_by("pk")
        ],
        # Invite links this user made (their tokens are secrets, so not included).
        "invites_created": [
            {
                "team": i.team.name,
                "created_at": i.created_at,
                "expires_at": i.expires_at,
                "max_uses": i.max_uses,
                "uses": i.uses,
                "withdrawn_at": i.revoked_at,
            }
            for i in Invite.objects.filter(created_by=user).select_related("team").order_by("pk")
        ],
        "certifications": [
            {
                "certification": p.certification.slug,
                "status": p.status,
                "earned_on": p.earned_on,
                "credential_url": p.credential_url,
                "updated_at": p.updated_at,
            }
            for p in user.certification_progress.select_related("certification").order_by(
                "certification__slug"
            )
        ],
    }
    data["corrections"] = [
        {
            "about": c.subject_name,
            "fact": c.fact_label,
            "what_is_wrong": c.what_is_wrong,
            "source_url": c.source_url,
            "contact": c.contact,
            "sent_at": c.created_at,
            "state": c.state,
            "decided_at": c.reviewed_at,
            "reply": c.reply,
        }
        for c in user.corrections.order_by("pk")
    ]
    data["notices"] = [
        {
            "change": n.change.summary,
            "about": n.change.subject_name,
            "changed_at": n.change.changed_at,
            "seen_at": n.seen_at,
            "emailed": n.digest_id is not None and n.digest.sent_at is not None,
        }
        for n in user.notices.select_related("change", "digest").order_by("pk")
    ]
    data["sign_in_log"] = sign_in_log(user)
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


def sign_in_log(user):
    """What django-axes recorded about signing in to this account."""
    return {
        "sign_ins": [
            {
                "at": log.attempt_time,
                "signed_out_at": log.logout_time,
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in AccessLog.objects.filter(username=user.username).order_by("-attempt_time")
        ],
        "failed_attempts": [
            {
                "at": attempt.attempt_time,
                "failures": attempt.failures_since_start,
                "ip_address": attempt.ip_address,
                "user_agent": attempt.user_agent,
            }
            for attempt in AccessAttempt.objects.filter(username=user.username)
        ],
    }


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


def hand_over_teams(user):
    """Before `user` goes: each team they alone own passes to its longest-standing manager,
    else its longest-standing member; a team left with nobody goes too."""
    for mine in Membership.objects.filter(user=user, role=Membership.Role.OWNER):
        others = Membership.objects.filter(team_id=mine.team_id).exclude(user=user)
        if others.filter(role=Membership.Role.OWNER).exists():
            continue
        heir = (
            others.filter(role=Membership.Role.MANAGER).order_by("joined_at", "pk").first()
            or others.order_by("joined_at", "pk").first()
        )
        if heir is None:
            Team.objects.filter(pk=mine.team_id).delete()
        else:
            heir.role = Membership.Role.OWNER
            heir.save(update_fields=["role"])


def forget_account(user):
    """Delete the account, its progress and plans, its sign-in records and every session it
    has on any device (the caller holds the transaction)."""
    username, pk = user.username, str(user.pk)
    hand_over_teams(user)
    user.delete()
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        model.objects.filter(username=username).delete()
    # Sessions store the user id inside their encoded data: look at each unexpired one.
    # Rare (account deletion only), and bounded by the number of live sessions.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == pk:
            store(session.session_key).delete()


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
            return redirect("profile")
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
    return redirect("profile")


def display_name_problem(name):
    if len(name) > 60:
        return "The name to show can be at most 60 characters."
    if "@" in name:
        return "The name to show cannot be an email address: it is published on the page."
    if any(not ch.isprintable() for ch in name):
        return "The name to show can only hold printable characters."
    return None
