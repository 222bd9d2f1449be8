import json
import secrets

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm, SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("roadmap:path")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Say where you are and where you want to go.")
        return redirect("roadmap:path")
    status = 400 if form.errors else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


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
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": {
            "current_role": user.current_role.slug if user.current_role else None,
            "target_role": user.target_role.slug if user.target_role else None,
        },
        "skills": [
            {
                "skill": p.skill.slug,
                "status": p.status,
                "started_at": p.started_at,
                "completed_at": p.completed_at,
                "note": p.note,
                "evidence_url": p.evidence_url,
                "updated_at": p.updated_at,
            }
            for p in user.skill_progress.select_related("skill").order_by("skill__slug")
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
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    filename = f"ai-roadmap-{user.username}-{timezone.localdate().isoformat()}.json"
    return HttpResponse(
        body,
        content_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
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
        logout(request)
        user.delete()
        messages.success(request, "Your account and all your progress have been deleted.")
        return redirect("roadmap:home")
    return render(request, "accounts/delete.html")


@login_required
@require_http_methods(["POST"])
def share(request):
    """Start, change or stop sharing a read-only page of the path."""
    user = request.user
    action = request.POST.get("action")
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
    user.save(update_fields=["share_token", "share_notes"])
    return redirect("profile")
