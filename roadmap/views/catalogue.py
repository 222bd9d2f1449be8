"""The public catalogue pages: roles, skills, certifications and sources."""

from itertools import groupby

from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from ..forms import CertificationFilterForm
from ..models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    CertificationSource,
    Claim,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
    SkillProgress,
    Source,
)

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
            Prefetch("skills", queryset=Skill.objects.order_by(Lower("name")))
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
                Prefetch("claims", queryset=Claim.objects.shown()),
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
    present = Certification.objects.values_list("provider", "level").distinct()
    form = CertificationFilterForm(
        request.GET,
        providers=sorted({provider for provider, _ in present}),
        levels={level for _, level in present},
    )
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
            Prefetch(
                "claims",
                queryset=Claim.objects.select_related("certification", "role", "skill"),
            ),
        )
        return {"sources": sources}, "Sources", ""

    return catalogue_page(request, "sources", "roadmap/source_list.html", build)
