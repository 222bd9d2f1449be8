from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .forms import CertificationFilterForm
from .models import (
    Certification,
    CertificationSource,
    Role,
    RoleSkill,
    SalaryBand,
    Skill,
    SkillArea,
    Source,
)


@require_GET
def home(request):
    roles = list(Role.objects.with_overview())
    ctx = {
        "ladder": [r for r in roles if r.is_ladder],
        "adjacent": [r for r in roles if not r.is_ladder],
    }
    return render(request, "roadmap/home.html", ctx)


@require_GET
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


@require_GET
def skill_list(request):
    areas = SkillArea.objects.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("name"))
    )
    return render(request, "roadmap/skill_list.html", {"areas": areas})


@require_GET
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


@require_GET
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


@require_GET
def certification_detail(request, slug):
    certification = get_object_or_404(
        Certification.objects.for_listing().prefetch_related("predecessors", "skills", "roles"),
        slug=slug,
    )
    return render(request, "roadmap/certification_detail.html", {"certification": certification})


@require_GET
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
