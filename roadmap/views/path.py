"""My path: the page, ticks, notes and the certification plan."""

import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import login_required_htmx
from accounts.forms import ProfileForm

from ..forms import CertificationPlanForm, SkillNoteForm
from ..models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    Skill,
    SkillProgress,
)
from ..progress import Row, build_path, build_tick, catalogue_graph, progress_over_time

PATH_CACHE_SECONDS = 60 * 60 * 24
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")  # also the alphabet of share tokens


def path_cache_key(request, version):
    """Changes with everything the cached path shows, and is unguessable per user.

    The CSRF secret is in it because the cached forms carry a token made from it: signing
    in again rotates the secret and so renders afresh.
    """
    user = request.user
    parts = [
        user.pk,
        user.current_role_id,
        user.target_role_id,
        user.hours_per_week,
        user.progress_version,
        version,
        timezone.localdate().isoformat(),
        request.META.get("CSRF_COOKIE", ""),
    ]
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    return f"path:{user.pk}:{digest}"


@login_required
@require_safe
def my_path(request):
    user = request.user
    if user.target_role_id is None:
        ctx = {"profile_form": ProfileForm(instance=user)}
        return render(request, "roadmap/path.html", ctx)
    version = CatalogueVersion.current()
    get_token(request)  # make sure the CSRF secret exists before it goes into the key
    key = path_cache_key(request, version)
    content = cache.get(key)
    ctx = build_path_header(user, version)
    if content is None:
        full = build_path(user, version)
        content = render_to_string("roadmap/_path_content.html", full, request=request)
        cache.set(key, content, PATH_CACHE_SECONDS)
    ctx["content"] = mark_safe(content)  # noqa: S308 - rendered by our own template above
    return render(request, "roadmap/path.html", ctx)


@login_required
@require_safe
def progress_history(request):
    rows = SkillProgress.objects.filter(user=request.user).only("started_at", "completed_at")
    return render(request, "roadmap/history.html", progress_over_time(rows))


def build_path_header(user, version):
    graph = catalogue_graph(version)
    return {
        "current_role": graph.roles.get(user.current_role_id),
        "target_role": graph.roles.get(user.target_role_id),
    }


def skill_or_404(slug, version):
    """The skill from the cached catalogue graph: no query beyond the version."""
    skill = catalogue_graph(version).skills.get(slug)
    if skill is None:
        raise Http404("No such skill")
    return skill


def apply_status(request, skill, status, version):
    """Set (never toggle) one skill's status, then answer as the request expects."""
    if status not in SkillProgress.Status.values:
        return bad_request(request, "Choose a status: not started, learning, done or skipped.")
    with transaction.atomic():
        progress = SkillProgress.objects.locked_for(request.user, skill)
        progress.set_status(status)
        progress.save()
    if not request.htmx:
        return redirect(f"{reverse('roadmap:path')}#skill-{skill.slug}")
    # Everything a tick changes comes back in the same response (row, counts, Up next,
    # the ladder, the certifications for what is left, each rung's pace): the page after
    # the swap is the page a reload would show.
    ctx = build_tick(request.user, version)
    ctx["row"] = Row(skill, progress)
    return render(request, "roadmap/_skill_changed.html", ctx)


@login_required_htmx
@require_POST
def set_skill_status(request, slug):
    version = CatalogueVersion.current()
    skill = skill_or_404(slug, version)
    return apply_status(request, skill, request.POST.get("status", ""), version)


@login_required_htmx
@require_POST
def set_path_status(request):
    """The path page's single form: the pressed button sends set=<skill slug>:<status>."""
    slug, _, status = request.POST.get("set", "").partition(":")
    if not SLUG.fullmatch(slug):
        return bad_request(request, "Choose a skill and a status with one of the buttons.")
    version = CatalogueVersion.current()
    return apply_status(request, skill_or_404(slug, version), status, version)


@login_required
@require_http_methods(["GET", "POST"])
def skill_note(request, slug):
    skill = get_object_or_404(Skill, slug=slug)
    progress = SkillProgress.objects.filter(user=request.user, skill=skill).first()
    form = SkillNoteForm(
        request.POST or None, instance=progress or SkillProgress(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            progress = SkillProgress.objects.locked_for(request.user, skill)
            progress.note = form.cleaned_data["note"]
            progress.evidence_url = form.cleaned_data["evidence_url"]
            progress.save()
        messages.success(request, f"Your note on {skill.name} is saved.")
        return redirect(f"{reverse('roadmap:path')}#skill-{skill.slug}")
    status = 400 if form.errors else 200
    ctx = {"skill": skill, "progress": progress, "form": form}
    return render(request, "roadmap/skill_note.html", ctx, status=status)


@login_required_htmx
@require_POST
def set_certification_status(request, slug):
    certification = get_object_or_404(
        Certification.objects.prefetch_related("successors"), slug=slug
    )
    existing = CertificationProgress.objects.filter(
        user=request.user, certification=certification
    ).first()
    form = CertificationPlanForm(request.POST, certification=certification, existing=existing)
    if not form.is_valid():
        return bad_request(request, " ".join(form.errors.get("__all__", [])) or _errors(form))
    data = form.cleaned_data
    # Fields the form did not send keep what was saved before.
    earned_on = data["earned_on"] or (existing and existing.earned_on)
    credential_url = (
        data["credential_url"]
        if "credential_url" in request.POST
        else (existing.credential_url if existing else "")
    )
    CertificationProgress.objects.set_plan(
        request.user, certification, data["status"], earned_on, credential_url
    )
    if data["status"] == form.REMOVE:
        messages.success(request, f"{certification.name} is no longer on your plan.")
    else:
        messages.success(request, f"{certification.name}: {data['status']}.")
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect(f"{reverse('roadmap:path')}#certifications")


def _errors(form):
    return " ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())


def bad_request(request, message):
    """A 400 that says what was wrong: a small fragment for htmx, a page otherwise."""
    if request.htmx:
        # Shown in the page's alert region, never swapped over the control that sent it.
        response = render(
            request, "roadmap/bad_request.html#message", {"message": message}, status=400
        )
        response["HX-Retarget"] = "#htmx-alert"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "roadmap/bad_request.html", {"message": message}, status=400)
