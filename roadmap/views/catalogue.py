"""The public catalogue pages: roles, skills, certifications and sources.

Each page is its own template, extending base.html. What is the same for every visitor is
rendered once per catalogue version and day from the template's partials and cached
(`cached_parts`); the template places those parts and, between them, what is the visitor's
own (the pay-region form, their place on the ladder, their status on each skill, their
plan for a certification), rendered per request from small templates and never cached.
Where the visitor's own parts sit inside a list (a status on each skill, a plan form on
each certification), the cache keeps each item's HTML and the list assembled without them:
an anonymous visitor gets the assembled list, a signed-in one an assembly with theirs.
"""

import hashlib
from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone
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
from ..selectors import (
    catalogue_graph,
    marks_of,
    role_you_context,
    skill_status_context,
    you_context,
)
from ..templatetags.plans import plan_form_context
from ..web import pay_region


def cached_parts(key, version, build, keep=True, items=False):
    """The parts of a catalogue page that are the same for every visitor: build() returns
    a dict of HTML (rendered from the page template's partials) and plain data, with the
    page's "title" and "description", and may raise Http404. Rendered once per catalogue
    version and day, then read from the cache; `keep=False` renders without keeping (a
    list that refused its filters).

    Where a signed-in visitor's own parts go inside a list, build() also returns the list's
    items under "items" (each item's HTML); they are kept under a key of their own and read
    only when asked for (`items`), so an anonymous visitor's page never loads them.

    Nothing in it is a visitor's own and it holds no CSRF token: CatalogueVersion changes
    with every admin edit (roadmap/signals.py), and the key holds it and today's date
    (certification status depends on the date), so nothing stale shows.
    """
    cache_key = caching.dated_key("page", key, version=version)
    items_key = f"{cache_key}:items"
    keys = [cache_key, items_key] if items else [cache_key]
    found = caching.recall_many(keys)
    if len(found) == len(keys):
        parts = found[cache_key]
        return {**parts, "items": found[items_key]} if items else parts
    parts = build()
    if keep:
        values = {cache_key: {name: value for name, value in parts.items() if name != "items"}}
        if "items" in parts:
            values[items_key] = parts["items"]
        caching.store_many(values)
    return parts


# Readers' corrections listed on a page, the most recent first.
CORRECTIONS_SHOWN = 20


def public_corrections(kind, slug):
    """A page's open and accepted corrections, for `_corrections_public.html` placed by the
    page template after its cached parts: read per request, one query, so that one sent or
    decided a moment ago shows at once while the rest of the page stays cached. They are
    readers' data, not the catalogue's: bumping CatalogueVersion for each would empty every
    page's cache (and the API's ETags) whenever anyone sends one."""
    corrections = list(Correction.objects.shown_on(kind, slug)[: CORRECTIONS_SHOWN + 1])
    return {
        "corrections": corrections[:CORRECTIONS_SHOWN],
        "more_corrections": len(corrections) > CORRECTIONS_SHOWN,
        "kind": kind,
        "slug": slug,
    }


def render_partials(template, ctx, *names):
    """{name: HTML} for each partial `name` of `template`, rendered with `ctx`."""
    return {name: render_to_string(f"{template}#{name}", ctx) for name in names}


def render_each(template, name, objects, **extra):
    """[HTML] of `template` (a partial, say) for each object, in the context as `name`."""
    compiled = get_template(template)
    return [compiled.render({name: obj, **extra}) for obj in objects]


def page_context(request, version, parts, with_you=True, **extra):
    """A catalogue page template's context: the cached parts as `page`, what the view adds,
    and (`with_you`) for a signed-in visitor `you`: their current role and target."""
    ctx = {"page": parts, **extra}
    if with_you and request.user.is_authenticated and "you" not in ctx:
        ctx["you"] = you_context(request.user, version)
    return ctx


@require_safe
def home(request):
    region = pay_region(request)
    version = CatalogueVersion.current()
    template = "roadmap/home.html"

    def build():
        roles = list(Role.objects.with_overview())
        ctx = {
            "region": region,
            "charts": pay.charts(roles, {r.pk: r.salary_claims for r in roles}, region),
        }
        heads = render_each(f"{template}#role-head", "role", roles)
        bodies = render_each(f"{template}#role-body", "role", roles)
        cards = {
            r.pk: (r.pk, r.slug, r.rank, head, body)
            for r, head, body in zip(roles, heads, bodies, strict=True)
        }
        parts = {
            "title": "Roles",
            "description": "",
            "items": {
                "ladder": [cards[r.pk] for r in roles if r.is_ladder],
                "adjacent": [cards[r.pk] for r in roles if not r.is_ladder],
            },
            **render_partials(template, ctx, "pay"),
        }
        # The roles as an anonymous visitor sees them, assembled once.
        parts["roles"] = render_to_string(
            f"{template}#roles", {"cards": _with_badges(parts["items"])}
        )
        return parts

    signed_in = request.user.is_authenticated
    parts = cached_parts(f"home:{region}", version, build, items=signed_in)
    ctx = page_context(request, version, parts, region=region, pay_regions=PayRegion.choices)
    if signed_in:
        ctx["cards"] = _with_badges(parts["items"], ctx["you"])
    return render(request, template, ctx)


def _with_badges(items, you=None):
    """The ladder's cards and the adjacent ones, each with the signed-in visitor's badges
    ("You are here", "Your target"; empty on every other card, and for anyone else)."""
    badges = {}
    if you is not None:
        partial = get_template("roadmap/_you.html#badges")
        for role in {you["current"], you["target"]} - {None}:
            badges[role.pk] = partial.render({"you": you, "pk": role.pk})
    return {
        name: [(*card, badges.get(card[0], "")) for card in cards] for name, cards in items.items()
    }


@require_safe
def role_detail(request, slug):
    region = pay_region(request)
    version = CatalogueVersion.current()
    template = "roadmap/role_detail.html"

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
        items = render_each(f"{template}#skill", "rs", requirements, role=role)
        certifications = list(
            role.certifications.prefetch_related("successors").order_by("provider", "name")
        )
        ctx = {
            "role": role,
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
        parts = {
            "title": role.title,
            "description": role.summary,
            "is_ladder": role.is_ladder,
            "own_count": sum(1 for rs in requirements if rs.role_id == role.pk),
            "inherited_count": sum(1 for rs in requirements if rs.role_id != role.pk),
            # [(area name, [(skill slug, inherited, HTML)])], in the order of the areas.
            "items": [
                (area.name, [(rs.skill.slug, rs.role_id != role.pk, html) for rs, html in pairs])
                for area, pairs in groupby(
                    zip(requirements, items, strict=True), key=lambda pair: pair[0].skill.area
                )
            ],
            **render_partials(template, ctx, "intro", "pay", "more"),
        }
        # The skills as an anonymous visitor sees them, assembled once.
        parts["skills"] = render_to_string(
            f"{template}#skills", {"page": parts, "areas": _with_statuses(parts["items"])}
        )
        return parts

    signed_in = request.user.is_authenticated
    parts = cached_parts(f"role:{slug}:{region}", version, build, items=signed_in)
    ctx = page_context(request, version, parts, region=region, pay_regions=PayRegion.choices)
    ctx.update(public_corrections("role", slug))
    if signed_in:
        role = catalogue_graph(version).roles_by_slug[slug]
        ctx.update(role_you_context(request.user, role, version))
        ctx["areas"] = _with_statuses(parts["items"], marks_of(request.user, version))
    return render(request, template, ctx)


def _with_statuses(areas, marks=None):
    """The role page's skills, each with the visitor's status as (value, label) (None for
    an anonymous visitor): every skill has one, "Not started" until they mark it."""
    labels = dict(SkillProgress.Status.choices)
    default = SkillProgress.Status.NOT_STARTED

    def status(slug):
        if marks is None:
            return None
        value = marks[slug].status if slug in marks else default
        return (value, labels[value])

    return [
        (name, [(slug, inherited, html, status(slug)) for slug, inherited, html in items])
        for name, items in areas
    ]


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
    version = CatalogueVersion.current()
    template = "roadmap/skill_list.html"

    def build():
        areas = SkillArea.objects.prefetch_related(
            Prefetch("skills", queryset=Skill.objects.order_by(Lower("name")))
        )
        return {
            "title": "Skills",
            "description": "",
            **render_partials(template, {"areas": areas}, "body"),
        }

    parts = cached_parts("skills", version, build)
    return render(request, template, page_context(request, version, parts, with_you=False))


@require_safe
def skill_detail(request, slug):
    version = CatalogueVersion.current()
    template = "roadmap/skill_detail.html"

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
        return {
            "title": skill.name,
            "description": skill.summary,
            **render_partials(template, ctx, "head", "more"),
        }

    user = request.user
    if user.is_authenticated:
        mark_seen(SkillProgress.objects.filter(user=user, skill__slug=slug))
    parts = cached_parts(f"skill:{slug}", version, build)
    ctx = page_context(request, version, parts, next=request.get_full_path())
    ctx.update(public_corrections("skill", slug))
    if user.is_authenticated:
        skill = catalogue_graph(version).skills[slug]
        progress = SkillProgress.objects.filter(user=user, skill=skill).first()
        ctx.update(skill_status_context(user, skill, progress, version))
    return render(request, template, ctx)


def _plan_forms(request, slugs, return_to, version):
    """{certification slug: plan form} for a signed-in user, for each certification in
    `slugs` that can be planned.

    One template, rendered per form with a plain Context: the context processors and the
    CSRF token are the same for every form on the page, so they are not redone per form.
    The forms are kept under the user's key (`caching.path_key`: their progress_version,
    which every plan change bumps, the catalogue version and the date) with the CSRF
    secret their token is made from, as My path keeps its forms: a list opened again costs
    neither the plans' query nor the rendering.
    """
    token = get_token(request)  # the CSRF secret exists before it goes into the key
    wanted = hashlib.sha256(",".join(slugs).encode()).hexdigest()
    csrf = request.META.get("CSRF_COOKIE", "")
    key = caching.path_key(request.user, "plan-forms", return_to, csrf, wanted, version=version)
    return caching.remember(
        key, lambda: _render_plan_forms(request, slugs, return_to, version, token)
    )


def _render_plan_forms(request, slugs, return_to, version, token):
    graph = catalogue_graph(version)
    plans = {
        p.certification_id: p
        for p in CertificationProgress.objects.filter(
            user=request.user, certification__slug__in=slugs
        )
    }
    template = get_template("roadmap/_plan_form.html").template
    out = {}
    for slug in slugs:
        certification = graph.certifications.get(slug)
        if certification is None or certification.is_category:
            continue
        ctx = plan_form_context(certification, plans.get(certification.pk), return_to)
        ctx["csrf_token"] = token
        out[slug] = template.render(Context(ctx))
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
    version = CatalogueVersion.current()
    # The filters' choices, kept per catalogue version: no query once kept.
    present = caching.remember(
        caching.catalogue_key("cert-filter-choices", version=version),
        lambda: set(Certification.objects.values_list("provider", "level").distinct()),
    )
    form = CertificationFilterForm(
        request.GET,
        providers=sorted({provider for provider, _ in present}),
        levels={level for _, level in present},
    )
    valid = form.is_valid()
    template = "roadmap/certification_list.html"

    def build():
        certifications = Certification.objects.with_status().for_listing()
        if valid:
            certifications = form.filter(certifications)
        certifications = list(certifications)
        tops = render_each(f"{template}#card-top", "certification", certifications)
        facts = render_each(f"{template}#card-facts", "certification", certifications)
        parts = {
            "title": "Certifications",
            "description": "",
            # [(slug, card classes, can be planned, HTML above the plan, HTML below it)]
            "items": [
                (
                    c.slug,
                    "cert-category" if c.is_category else f"cert-{c.status.value}",
                    not c.is_category,
                    top,
                    below,
                )
                for c, top, below in zip(certifications, tops, facts, strict=True)
            ],
            **render_partials(template, {"form": form}, "filters"),
        }
        # The list as an anonymous visitor sees it, assembled once.
        parts["results"] = render_to_string(
            f"{template}#results", {"cards": _with_plans(parts["items"])}
        )
        return parts

    # The key holds the cleaned filters: a finite set, whatever the query string says.
    key = "certs:" + ":".join(f"{k}={form.cleaned_data.get(k, '')}" for k in sorted(form.fields))
    signed_in = request.user.is_authenticated
    parts = cached_parts(key, version, build, keep=valid, items=signed_in)
    status = 200 if valid else 400
    ctx = page_context(request, version, parts)
    if signed_in:
        slugs = [slug for slug, _, plannable, _, _ in parts["items"] if plannable]
        ctx["cards"] = _with_plans(parts["items"], _plan_forms(request, slugs, "list", version))
    if request.htmx and not request.htmx.history_restore_request:
        if "cards" not in ctx:
            return HttpResponse(parts["results"], status=status)
        return render(request, f"{template}#results", ctx, status=status)
    return render(request, template, ctx, status=status)


def _with_plans(cards, plans=None):
    """The certification cards, each with the visitor's plan form (None: none to show)."""
    plans = plans or {}
    return [(slug, classes, top, below, plans.get(slug)) for slug, classes, _, top, below in cards]


@require_safe
def certification_detail(request, slug):
    version = CatalogueVersion.current()
    template = "roadmap/certification_detail.html"

    def build():
        certification = get_object_or_404(
            Certification.objects.for_listing().prefetch_related(
                "predecessors", "skills", "roles"
            ),
            slug=slug,
        )
        return {
            "title": certification.name,
            "description": certification.summary,
            "is_category": certification.is_category,
            **render_partials(template, {"certification": certification}, "head", "more"),
        }

    user = request.user
    if user.is_authenticated:
        mark_seen(CertificationProgress.objects.filter(user=user, certification__slug=slug))
    parts = cached_parts(f"cert:{slug}", version, build)
    ctx = page_context(request, version, parts, next=request.get_full_path())
    ctx.update(public_corrections("certification", slug))
    if user.is_authenticated and not parts["is_category"]:
        ctx["plan"] = _plan_forms(request, [slug], "certification", version)[slug]
    return render(request, template, ctx)


@require_safe
def source_list(request):
    version = CatalogueVersion.current()
    template = "roadmap/source_list.html"

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
        ctx = {"sources": sources}
        return {"title": "Sources", "description": "", **render_partials(template, ctx, "body")}

    parts = cached_parts("sources", version, build)
    return render(request, template, page_context(request, version, parts, with_you=False))
