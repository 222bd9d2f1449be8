import csv
import hashlib
import io
import json
import re
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import login_required_htmx
from accounts.forms import ProfileForm
from accounts.models import User

from . import importing
from .forms import CertificationFilterForm, CertificationPlanForm, SkillNoteForm
from .models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    CertificationSource,
    Role,
    RoleSkill,
    SalaryBand,
    Skill,
    SkillArea,
    SkillProgress,
    Source,
)
from .progress import Row, build_path, build_summary, catalogue_graph, progress_over_time

CATALOGUE_CACHE_SECONDS = 60 * 60 * 24


def catalogue_page(request, key, template, build, partial=None, status=200):
    """A catalogue page, rendered once per catalogue version and day, then from the cache.

    `build()` returns (context, title, description) and may raise Http404. The cached part
    holds no user data and no CSRF token: the layout around it is rendered per request.
    CatalogueVersion changes with every admin edit (roadmap/signals.py), and the key holds
    it and today's date (certification status depends on the date), so nothing stale shows.
    """
    version = CatalogueVersion.current()
    cache_key = f"page:{key}:{partial or ''}:{version}:{timezone.localdate().isoformat()}"
    page = cache.get(cache_key)
    if page is None:
        ctx, title, description = build()
        name = f"{template}#{partial}" if partial else template
        page = {
            "title": title,
            "description": description,
            "body": mark_safe(render_to_string(name, ctx)),  # noqa: S308 - our template
        }
        if status == 200:
            cache.set(cache_key, page, CATALOGUE_CACHE_SECONDS)
    if partial:
        return HttpResponse(page["body"], status=status)
    return render(request, "roadmap/page.html", {"page": page}, status=status)


@require_safe
def home(request):
    def build():
        roles = list(Role.objects.with_overview())
        ctx = {
            "ladder": [r for r in roles if r.is_ladder],
            "adjacent": [r for r in roles if not r.is_ladder],
        }
        return ctx, "Roles", ""

    return catalogue_page(request, "home", "roadmap/home.html", build)


@require_safe
def role_detail(request, slug):
    def build():
        role = get_object_or_404(
            Role.objects.with_overview().prefetch_related("sources"), slug=slug
        )
        requirements = list(role.requirements())
        areas = [
            (area, list(rows))
            for area, rows in groupby(requirements, key=lambda rs: rs.skill.area)
        ]
        certifications = list(
            role.certifications.prefetch_related("successors").order_by("provider", "name")
        )
        ctx = {
            "role": role,
            "areas": areas,
            "own_count": sum(1 for rs in requirements if rs.role_id == role.pk),
            "inherited_count": sum(1 for rs in requirements if rs.role_id != role.pk),
            "certifications": [c for c in certifications if not c.is_retired],
            "retired_certifications": [c for c in certifications if c.is_retired],
            "next_roles": role.next_roles.all(),
            "previous_roles": role.previous_roles.all(),
        }
        return ctx, role.title, role.summary

    return catalogue_page(request, f"role:{slug}", "roadmap/role_detail.html", build)


@require_safe
def skill_list(request):
    def build():
        areas = SkillArea.objects.prefetch_related(
            Prefetch("skills", queryset=Skill.objects.order_by("name"))
        )
        return {"areas": areas}, "Skills", ""

    return catalogue_page(request, "skills", "roadmap/skill_list.html", build)


@require_safe
def skill_detail(request, slug):
    def build():
        skill = get_object_or_404(
            Skill.objects.select_related("area", "why_source").prefetch_related(
                "prerequisites",
                "unlocks",
                "resources",
                Prefetch("role_skills", queryset=RoleSkill.objects.select_related("role")),
                Prefetch(
                    "certifications",
                    queryset=Certification.objects.prefetch_related("successors"),
                ),
            ),
            slug=slug,
        )
        certifications = skill.certifications.all()
        ctx = {
            "skill": skill,
            "certifications": [c for c in certifications if not c.is_retired],
            "retired_certifications": [c for c in certifications if c.is_retired],
        }
        return ctx, skill.name, skill.summary

    if request.user.is_authenticated:
        mark_seen(SkillProgress.objects.filter(user=request.user, skill__slug=slug))
    return catalogue_page(request, f"skill:{slug}", "roadmap/skill_detail.html", build)


def mark_seen(progress_rows):
    """The user looked: an update flagged on their path is no longer news.

    Written only when a row is flagged, so an ordinary visit costs one read.
    """
    (related,) = progress_rows.model.SEEN_OF
    for row in progress_rows.select_related(related):
        if row.changed_since_seen(getattr(row, related)):
            row.seen_at = timezone.now()
            row.save(update_fields=["seen_at"])


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def certification_list(request):
    providers = Certification.objects.order_by("provider").values_list("provider", flat=True)
    form = CertificationFilterForm(request.GET, providers=sorted(set(providers)))
    valid = form.is_valid()

    def build():
        certifications = Certification.objects.with_status().for_listing()
        if valid:
            certifications = form.filter(certifications)
        return {"form": form, "certifications": certifications}, "Certifications", ""

    # The key holds the cleaned filters: a finite set, whatever the query string says.
    key = "certs:" + ":".join(f"{k}={form.cleaned_data.get(k, '')}" for k in sorted(form.fields))
    partial = "results" if request.htmx and not request.htmx.history_restore_request else None
    return catalogue_page(
        request,
        key,
        "roadmap/certification_list.html",
        build,
        partial=partial,
        status=200 if valid else 400,
    )


@require_safe
def certification_detail(request, slug):
    def build():
        certification = get_object_or_404(
            Certification.objects.for_listing().prefetch_related(
                "predecessors", "skills", "roles"
            ),
            slug=slug,
        )
        return {"certification": certification}, certification.name, certification.summary

    if request.user.is_authenticated:
        mark_seen(
            CertificationProgress.objects.filter(user=request.user, certification__slug=slug)
        )
    return catalogue_page(request, f"cert:{slug}", "roadmap/certification_detail.html", build)


@require_safe
def source_list(request):
    def build():
        sources = Source.objects.prefetch_related(
            "roles",
            "skills_cited",
            Prefetch(
                "certification_facts",
                queryset=CertificationSource.objects.select_related("certification"),
            ),
            Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("role")),
        )
        return {"sources": sources}, "Sources", ""

    return catalogue_page(request, "sources", "roadmap/source_list.html", build)


# --------------------------------------------------------------------------- my path

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
        full["statuses"] = SkillProgress.Status.choices
        full["plan_statuses"] = CertificationProgress.Status.choices
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
    ctx = build_summary(request.user, version)
    ctx["row"] = Row(skill, progress)
    ctx["statuses"] = SkillProgress.Status.choices
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
    if data["status"] == form.REMOVE:
        CertificationProgress.objects.filter(
            user=request.user, certification=certification
        ).delete()
        messages.success(request, f"{certification.name} is no longer on your plan.")
    else:
        earned = data["status"] == CertificationProgress.Status.EARNED
        # Fields the form did not send keep what was saved before.
        earned_on = data["earned_on"] or (existing and existing.earned_on)
        credential_url = (
            data["credential_url"]
            if "credential_url" in request.POST
            else (existing.credential_url if existing else "")
        )
        CertificationProgress.objects.update_or_create(
            user=request.user,
            certification=certification,
            defaults={
                "status": data["status"],
                "earned_on": (earned_on or timezone.localdate()) if earned else None,
                "credential_url": credential_url if earned else "",
            },
        )
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


@never_cache
@require_safe
def shared_path(request, token):
    """The read-only page a user chose to share; 404 once they stop sharing."""
    if not SLUG.fullmatch(token):
        raise Http404("No shared path here")
    owner = get_object_or_404(User, share_token=token)
    if owner.target_role_id is None:
        raise Http404("No path to show yet")
    ctx = build_path(owner)
    ctx["owner"] = owner
    ctx["display_name"] = owner.first_name or owner.username
    response = render(request, "roadmap/shared_path.html", ctx)
    response["X-Robots-Tag"] = "noindex"
    return response


EXPORT_FIELDS = [
    "skill",
    "skill_name",
    "area",
    "status",
    "started_at",
    "completed_at",
    "note",
    "evidence_url",
]


def _spreadsheet_safe(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_safe
def export_progress(request, fmt):
    rows = [
        {
            "skill": p.skill.slug,
            "skill_name": p.skill.name,
            "area": p.skill.area.name,
            "status": p.status,
            "started_at": p.started_at.isoformat() if p.started_at else "",
            "completed_at": p.completed_at.isoformat() if p.completed_at else "",
            "note": p.note,
            "evidence_url": p.evidence_url,
        }
        for p in SkillProgress.objects.filter(user=request.user)
        .select_related("skill__area")
        .order_by("skill__area__position", "skill__name")
    ]
    stamp = timezone.localdate().isoformat()
    headers = {"Cache-Control": "no-store"}
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _spreadsheet_safe(v) for k, v in row.items()})
        headers["Content-Disposition"] = f'attachment; filename="my-progress-{stamp}.csv"'
        return HttpResponse(
            buffer.getvalue(), content_type="text/csv; charset=utf-8", headers=headers
        )
    headers["Content-Disposition"] = f'attachment; filename="my-progress-{stamp}.json"'
    body = json.dumps(
        {"format": "ai-roadmap-progress/1", "progress": rows}, indent=2, ensure_ascii=False
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8", headers=headers)


@login_required
@require_http_methods(["GET", "POST"])
def import_progress(request):
    """Import a progress export: a dry run that shows every change first, then one
    transaction that applies all of it; any bad entry stops the whole import."""
    text = ""
    upload = request.FILES.get("file")
    if upload is not None:
        error = None
        if upload.size > importing.MAX_BYTES:
            error = "The file is larger than 1 MB."
        else:
            text, error = importing.decode(upload.read())
        if error:
            ctx = {"errors": [error]}
            return render(request, "roadmap/import.html", ctx, status=400)
    else:
        text = request.POST.get("data", "")
    ctx = {"data": text}
    if request.method == "GET":
        return render(request, "roadmap/import.html", ctx)
    skills = {s.slug: s for s in Skill.objects.all()}
    entries, errors = importing.parse(text, skills)
    if errors:
        ctx["errors"] = errors
        return render(request, "roadmap/import.html", ctx, status=400)
    if request.POST.get("action") == "apply":
        with transaction.atomic():
            count = importing.apply(request.user, entries)
        messages.success(request, f"Imported {count} skill{'s' if count != 1 else ''}.")
        return redirect("roadmap:path")
    ctx["changes"] = importing.changes(request.user, entries)
    return render(request, "roadmap/import.html", ctx)
