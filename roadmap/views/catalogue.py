"""The public catalogue pages: roles, skills, certifications and sources."""

import re
from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .. import caching, checks, pay
from ..forms import CertificationFilterForm
from ..models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    CertificationSource,
    Claim,
    Correction,
    PayRegion,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
    SkillProgress,
    Source,
)
from ..selectors import catalogue_graph, skill_status_context
from ..templatetags.plans import plan_form_context
from ..web import pay_region

SLOT = re.compile(r"<!--slot:([-\w]+)-->")
# Readers' corrections listed on a page, the most recent first.
CORRECTIONS_SHOWN = 20


def catalogue_page(request, key, template, build, partial=None, status=200, slots=None):
    """A catalogue page, rendered once per catalogue version and day, then from the cache.

    `build()` returns (context, title, description) and may raise Http404. The cached part
    holds no user data and no CSRF token: the layout around it is rendered per request.
    CatalogueVersion changes with every admin edit (roadmap/signals.py), and the key holds
    it and today's date (certification status depends on the date), so nothing stale shows.

    What is the visitor's own (their status on a skill, their plan for a certification)
    goes into slots: the template marks a place with ``<!--slot:name-->`` and
    `slots(names, version)` returns {name: html} for this request; a name it leaves out
    stays empty.
    """
    version = CatalogueVersion.current()
    cache_key = caching.dated_key("page", key, partial or "", version=version)
    page = caching.recall(cache_key)
    if page is None:
        ctx, title, description = build()
        name = f"{template}#{partial}" if partial else template
        page = {
            "title": title,
            "description": description,
            # [html, slot name, html, slot name, ..., html]
            "parts": SLOT.split(render_to_string(name, ctx)),
        }
        if status == 200:
            caching.store(cache_key, page)
    parts = page["parts"]
    filled = slots(parts[1::2], version) if slots and len(parts) > 1 else {}
    body = "".join(filled.get(part, "") if i % 2 else part for i, part in enumerate(parts))
    body = mark_safe(body)  # noqa: S308 - our templates' output, cached above
    if partial:
        return HttpResponse(body, status=status)
    page = {**page, "body": body}
    return render(request, "roadmap/page.html", {"page": page}, status=status)


def corrections_slot(kind, slug):
    """A page's open and accepted corrections (the "corrections" slot, in
    _page_history.html): read per request, one query, so that one sent or decided a moment
    ago shows at once while the rest of the page stays cached. They are readers' data, not
    the catalogue's: bumping CatalogueVersion for each would empty every page's cache (and
    the API's ETags) whenever anyone sends one."""
    corrections = list(Correction.objects.shown_on(kind, slug)[: CORRECTIONS_SHOWN + 1])
    ctx = {
        "corrections": corrections[:CORRECTIONS_SHOWN],
        "more": len(corrections) > CORRECTIONS_SHOWN,
        "kind": kind,
        "slug": slug,
    }
    return render_to_string("roadmap/_corrections_public.html", ctx)


def pay_region_slot(request, region):
    """The region switcher (per visitor: a signed-in user's form posts, with a CSRF token)."""
    ctx = {"region": region, "pay_regions": PayRegion.choices}
    return render_to_string("roadmap/_pay_region_form.html", ctx, request=request)


@require_safe
def home(request):
    region = pay_region(request)

    def build():
        roles = list(Role.objects.with_overview())
        ctx = {
            "ladder": [r for r in roles if r.is_ladder],
            "adjacent": [r for r in roles if not r.is_ladder],
            "region": region,
            "charts": pay.charts(roles, {r.pk: r.salary_claims for r in roles}, region),
        }
        return ctx, "Roles", ""

    def slots(names, version):
        return {"pay-region": pay_region_slot(request, region)}

    return catalogue_page(request, f"home:{region}", "roadmap/home.html", build, slots=slots)


@require_safe
def role_detail(request, slug):
    region = pay_region(request)

    def build():
        role = get_object_or_404(
            Role.objects.with_overview().prefetch_related("sources"), slug=slug
        )
        # Every role and its pay, for the picture of the ladder (two queries).
        roles = [r for r in Role.objects.all() if r.pk != role.pk] + [role]
        salaries = {}
        for claim in Claim.objects.salaries().filter(role__isnull=False):
            salaries.setdefault(claim.role_id, []).append(claim)
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
            **_moves(role),
            "region": region,
            "figures": pay.figures(role.salary_claims, region),
            "other_regions": [
                (r, n) for r, n in pay.regions_with_figures(role.salary_claims) if r != region
            ],
            "charts": pay.charts(roles, salaries, region, highlight={role.pk: "this role"}),
        }
        return ctx, role.title, role.summary

    def slots(names, version):
        return {
            "pay-region": pay_region_slot(request, region),
            "corrections": corrections_slot("role", slug),
        }

    return catalogue_page(
        request, f"role:{slug}:{region}", "roadmap/role_detail.html", build, slots=slots
    )


def _moves(role):
    """Where a role leads and where people come from, each role on one side only: one that
    is both (a lateral move either way) is listed once, under where it leads."""
    next_roles = [r for r in role.next_roles.all() if r.pk != role.pk]
    previous = [r for r in role.previous_roles.all() if r.pk != role.pk]
    both = {r.pk for r in previous} & {r.pk for r in next_roles}
    return {
        "next_roles": next_roles,
        "both_ways": both,
        "previous_roles": [r for r in previous if r.pk not in both],
    }


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
            Skill.objects.select_related("area", "why_source")
            .prefetch_related(
                "prerequisites",
                "unlocks",
                "resources",
                Prefetch("claims", queryset=Claim.objects.shown()),
                Prefetch("role_skills", queryset=RoleSkill.objects.select_related("role")),
                Prefetch(
                    "certifications",
                    queryset=Certification.objects.prefetch_related("successors"),
                ),
            )
            .annotate(
                check_pool=Count("check_questions", filter=Q(check_questions__is_active=True))
            ),
            slug=slug,
        )
        certifications = skill.certifications.all()
        ctx = {
            "skill": skill,
            "has_check": skill.check_pool >= checks.MIN_POOL,
            "certifications": [c for c in certifications if not c.is_retired],
            "retired_certifications": [c for c in certifications if c.is_retired],
        }
        return ctx, skill.name, skill.summary

    def slots(names, version):
        corrections = corrections_slot("skill", slug)
        if not request.user.is_authenticated:
            what = "to tick this skill off on your path."
            return {"my-status": _signed_out(request, what), "corrections": corrections}
        skill = catalogue_graph(version).skills.get(slug)
        progress = SkillProgress.objects.filter(user=request.user, skill__slug=slug).first()
        ctx = skill_status_context(request.user, skill, progress, version)
        html = render_to_string("roadmap/_skill_status_form.html", ctx, request=request)
        return {"my-status": html, "corrections": corrections}

    if request.user.is_authenticated:
        mark_seen(SkillProgress.objects.filter(user=request.user, skill__slug=slug))
    return catalogue_page(
        request, f"skill:{slug}", "roadmap/skill_detail.html", build, slots=slots
    )


def _signed_out(request, what):
    ctx = {"next": request.get_full_path(), "what": what}
    return render_to_string("roadmap/_signed_out_slot.html", ctx)


def _plan_slots(request, slugs, return_to, version):
    """{name: plan form} for each "plan-<certification slug>" slot, for a signed-in user.

    One template, rendered per form with a plain Context: the context processors and the
    CSRF token are the same for every form on the page, so they are not redone per form.
    """
    graph = catalogue_graph(version)
    plans = {
        p.certification_id: p
        for p in CertificationProgress.objects.filter(
            user=request.user, certification__slug__in=slugs
        )
    }
    template = get_template("roadmap/_plan_form.html").template
    token = get_token(request)
    out = {}
    for slug in slugs:
        certification = graph.certifications.get(slug)
        if certification is None or certification.is_category:
            continue
        ctx = plan_form_context(certification, plans.get(certification.pk), return_to)
        ctx["csrf_token"] = token
        out[f"plan-{slug}"] = template.render(Context(ctx))
    return out


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

    def slots(names, version):
        if not request.user.is_authenticated:
            return {}
        slugs = [n.removeprefix("plan-") for n in names]
        return _plan_slots(request, slugs, "list", version)

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
        slots=slots,
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

    def slots(names, version):
        corrections = {"corrections": corrections_slot("certification", slug)}
        if not request.user.is_authenticated:
            return {f"plan-{slug}": _signed_out(request, "to put it on your plan."), **corrections}
        return {**_plan_slots(request, [slug], "certification", version), **corrections}

    if request.user.is_authenticated:
        mark_seen(
            CertificationProgress.objects.filter(user=request.user, certification__slug=slug)
        )
    return catalogue_page(
        request, f"cert:{slug}", "roadmap/certification_detail.html", build, slots=slots
    )


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
                queryset=Claim.objects.select_related(
                    "certification", "role", "skill", "superseded_by"
                ),
            ),
        )
        return {"sources": sources}, "Sources", ""

    return catalogue_page(request, "sources", "roadmap/source_list.html", build)
