from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import login_required_htmx
from accounts.forms import ProfileForm

from .forms import CertificationFilterForm, CertificationPlanForm, SkillNoteForm
from .models import (
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
from .progress import Row, build_path


@require_safe
def home(request):
    roles = list(Role.objects.with_overview())
    ctx = {
        "ladder": [r for r in roles if r.is_ladder],
        "adjacent": [r for r in roles if not r.is_ladder],
    }
    return render(request, "roadmap/home.html", ctx)


@require_safe
def role_detail(request, slug):
    role = get_object_or_404(Role.objects.with_overview().prefetch_related("sources"), slug=slug)
    requirements = list(role.requirements())
    areas = [
        (area, list(rows)) for area, rows in groupby(requirements, key=lambda rs: rs.skill.area)
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
    return render(request, "roadmap/role_detail.html", ctx)


@require_safe
def skill_list(request):
    areas = SkillArea.objects.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("name"))
    )
    return render(request, "roadmap/skill_list.html", {"areas": areas})


@require_safe
def skill_detail(request, slug):
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
    ctx = {
        "skill": skill,
        "certifications": [c for c in skill.certifications.all() if not c.is_retired],
        "retired_certifications": [c for c in skill.certifications.all() if c.is_retired],
    }
    return render(request, "roadmap/skill_detail.html", ctx)


@require_safe
@vary_on_headers("HX-Request")
def certification_list(request):
    providers = Certification.objects.order_by("provider").values_list("provider", flat=True)
    form = CertificationFilterForm(request.GET, providers=sorted(set(providers)))
    certifications = Certification.objects.with_status().for_listing()
    status = 200
    if form.is_valid():
        certifications = form.filter(certifications)
    else:
        status = 400
    ctx = {"form": form, "certifications": certifications}
    template = "roadmap/certification_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, ctx, status=status)


@require_safe
def certification_detail(request, slug):
    certification = get_object_or_404(
        Certification.objects.for_listing().prefetch_related("predecessors", "skills", "roles"),
        slug=slug,
    )
    return render(request, "roadmap/certification_detail.html", {"certification": certification})


@require_safe
def source_list(request):
    sources = Source.objects.prefetch_related(
        "roles",
        "skills_cited",
        Prefetch(
            "certification_facts",
            queryset=CertificationSource.objects.select_related("certification"),
        ),
        Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("role")),
    )
    return render(request, "roadmap/source_list.html", {"sources": sources})


# --------------------------------------------------------------------------- my path


def path_context(request, **extra):
    ctx = build_path(request.user)
    ctx["statuses"] = SkillProgress.Status.choices
    ctx["plan_statuses"] = CertificationProgress.Status.choices
    if ctx["target_role"] is None:
        ctx["profile_form"] = ProfileForm(instance=request.user)
    ctx.update(extra)
    return ctx


def find_row(ctx, skill, progress, form=None):
    """The row for `skill` on the path (or a free-standing one if it is not on the path)."""
    for group in ctx["groups"]:
        for row in group.rows:
            if row.skill.pk == skill.pk:
                row.form = form
                return row
    return Row(skill, progress, form)


@login_required
@require_safe
def my_path(request):
    return render(request, "roadmap/path.html", path_context(request))


def after_skill_change(request, skill, progress, form=None, status=200):
    """htmx: the row plus out-of-band summary; otherwise back to the row on the path page."""
    if request.htmx or status != 200:
        ctx = path_context(request)
        ctx["row"] = find_row(ctx, skill, progress, form)
        if request.htmx:
            return render(request, "roadmap/_skill_changed.html", ctx, status=status)
        return render(request, "roadmap/path.html", ctx, status=status)
    return redirect(f"{reverse('roadmap:path')}#skill-{skill.slug}")


@login_required_htmx
@require_POST
def set_skill_status(request, slug):
    skill = get_object_or_404(Skill, slug=slug)
    status = request.POST.get("status", "")
    if status not in SkillProgress.Status.values:
        return bad_request(request, "Choose a status: not started, learning, done or skipped.")
    with transaction.atomic():
        progress = SkillProgress.objects.locked_for(request.user, skill)
        progress.set_status(status)
        progress.save()
    return after_skill_change(request, skill, progress)


@login_required_htmx
@require_POST
def set_skill_note(request, slug):
    skill = get_object_or_404(Skill, slug=slug)
    progress = SkillProgress.objects.filter(user=request.user, skill=skill).first()
    form = SkillNoteForm(request.POST, instance=progress or SkillProgress(user=request.user))
    if not form.is_valid():
        return after_skill_change(request, skill, progress, form=form, status=400)
    with transaction.atomic():
        progress = SkillProgress.objects.locked_for(request.user, skill)
        progress.note = form.cleaned_data["note"]
        progress.evidence_url = form.cleaned_data["evidence_url"]
        progress.save()
    return after_skill_change(request, skill, progress)


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
