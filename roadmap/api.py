"""Open data: the catalogue as read-only JSON at /api/v1/, described by OpenAPI.

django-ninja builds the OpenAPI document from the schemas below and validates query
parameters (a bad one gets a 422 naming it). Every answer is built once per catalogue
version, day and parameters, validated against its schema, and then served from the
cache; ETag and Last-Modified come from the catalogue version, so a client that already
has the current data gets a 304. CORS (django-cors-headers, see settings) lets any site
read it from a browser, with GET only.
"""

import datetime
import functools
from typing import Literal

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError

from . import caching
from .models import (
    CatalogueVersion,
    Certification,
    CertificationSource,
    Claim,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
    Source,
)

# --------------------------------------------------------------------------- schemas


class Licence(Schema):
    name: str
    url: str
    attribution: str


class ClaimOut(Schema):
    """One figure or date as one source states it."""

    slug: str
    fact: str
    fact_label: str
    topic: str
    value: str
    amount: float | None
    amount_high: float | None
    unit: str
    on_date: datetime.date | None
    text: str
    qualifier: str
    figure_kind: str
    region: str
    population: str
    occupation: str
    is_proxy: bool
    data_year: int | None
    period: str
    source: str
    supersedes: str | None = Field(
        None, description="The claim this one replaces: a later act changed the rule."
    )
    change: str = Field("", description="What changed the rule, when it supersedes a claim.")


class SourceOut(Schema):
    slug: str
    title: str
    publisher: str
    url: str | None
    kind: Literal["official", "relay", "third_party", "guide"]
    tier: str
    relays: str
    published_on: datetime.date | None
    checked_on: datetime.date
    page: str


class CertificationSourceOut(Schema):
    source: str
    supports: str


class CertificationOut(Schema):
    slug: str
    name: str
    provider: str
    level: str
    exam_code: str
    url: str | None
    summary: str
    status: Literal["active", "retiring", "retired"]
    retires_on: datetime.date | None
    successors: list[str]
    skills: list[str]
    roles: list[str]
    claims: list[ClaimOut]
    sources: list[CertificationSourceOut]
    page: str
    changes: str


class RoleSkillOut(Schema):
    skill: str
    importance: Literal["core", "recommended"]


class RoleOut(Schema):
    slug: str
    title: str
    kind: Literal["ladder", "adjacent"]
    rank: int | None
    alternative_titles: list[str]
    years_min: int | None
    years_max: int | None
    years_estimated: bool
    summary: str
    responsibilities: list[str]
    next_roles: list[str]
    skills: list[RoleSkillOut]
    claims: list[ClaimOut]
    sources: list[str]
    page: str
    changes: str


class AreaOut(Schema):
    slug: str
    name: str


class SkillOut(Schema):
    slug: str
    name: str
    area: AreaOut
    summary: str
    why_it_matters: str
    why_source: str | None
    prerequisites: list[str]
    effort_hours_low: int | None
    effort_hours_high: int | None
    claims: list[ClaimOut]
    page: str
    changes: str


class Envelope(Schema):
    licence: Licence
    catalogue_version: int
    count: int


class CertificationList(Envelope):
    items: list[CertificationOut]


class RoleList(Envelope):
    items: list[RoleOut]


class SkillList(Envelope):
    items: list[SkillOut]


class SourceList(Envelope):
    items: list[SourceOut]


class Index(Schema):
    licence: Licence
    catalogue_version: int
    endpoints: dict[str, str]
    openapi: str
    documentation: str


class ErrorOut(Schema):
    detail: str


class CertificationFilters(Schema):
    status: Literal["active", "retiring", "retired"] | None = None
    provider: str | None = None


class RoleFilters(Schema):
    kind: Literal["ladder", "adjacent"] | None = None


class SkillFilters(Schema):
    area: str | None = None


# --------------------------------------------------------------------------- conditional GET


def _stamp(request, *args, **kwargs):
    """(catalogue version, when it changed), read once per request."""
    if not hasattr(request, "_catalogue_stamp"):
        request._catalogue_stamp = CatalogueVersion.stamp()
    return request._catalogue_stamp


def _etag(request, *args, **kwargs):
    # Status (active, retiring, retired) depends on the day too.
    version, _ = _stamp(request)
    return f'"catalogue-{version}-{timezone.localdate().isoformat()}"'


def _last_modified(request, *args, **kwargs):
    _, changed_at = _stamp(request)
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time())
    )
    return max(changed_at, midnight) if changed_at else midnight


api = NinjaAPI(
    title="AI engineer roadmap: open data",
    version="1",
    description=(
        "The catalogue of roles, skills, certifications and sources, read-only. Every "
        "figure and date is a claim with its source. Licence: "
        f"{settings.DATA_LICENCE['name']} ({settings.DATA_LICENCE['url']})."
    ),
    urls_namespace="api",
    docs_url=None,
)


def _conditional(view):
    """ETag and Last-Modified describe the data, so only a 200 answer carries them and only
    a 200 answer may become a 304: the view runs first (its body is cached, so this costs
    little), and a missing slug or an invalid query stays a 404, 400 or 422 whatever the
    client's If-None-Match or If-Modified-Since. (Django's `condition` decides before the
    view runs: a current ETag turned any answer into a 304.)"""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            return response
        etag = _etag(request)
        last_modified = int(_last_modified(request).timestamp())
        response.headers.setdefault("ETag", etag)
        response.headers.setdefault("Last-Modified", http_date(last_modified))
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    return wrapped


api.add_decorator(_conditional, mode="view")


# --------------------------------------------------------------------------- building


def _absolute(path):
    return settings.SITE_URL + path


def _licence():
    return dict(settings.DATA_LICENCE)


def _claim(claim):
    return {
        "slug": claim.slug,
        "fact": claim.attribute,
        "fact_label": claim.get_attribute_display(),
        "topic": claim.topic,
        "value": claim.figure_label if claim.figure_kind else claim.value_label,
        "amount": float(claim.amount) if claim.amount is not None else None,
        "amount_high": float(claim.amount_high) if claim.amount_high is not None else None,
        "unit": claim.unit,
        "on_date": claim.on_date,
        "text": claim.text,
        "qualifier": claim.qualifier,
        "figure_kind": claim.figure_kind,
        "region": claim.region,
        "population": claim.population,
        "occupation": claim.occupation,
        "is_proxy": claim.is_proxy,
        "data_year": claim.data_year,
        "period": claim.period,
        "source": claim.source.slug,
        # Claim.objects.shown() selects the superseded claim with it: no query per claim.
        "supersedes": _superseded_slug(claim),
        "change": claim.change,
    }


def _superseded_slug(claim):
    if claim.supersedes_id is None:
        return None
    return claim.supersedes.slug


def _changes(kind, slug):
    return _absolute(f"{reverse('roadmap:changes')}?{kind}={slug}")


def _certification(c, today):
    return {
        "slug": c.slug,
        "name": c.name,
        "provider": c.provider,
        "level": c.level,
        "exam_code": c.exam_code,
        "url": c.url or None,
        "summary": c.summary,
        "status": c.status_on(today).value,
        "retires_on": c.retires_on,
        "successors": [s.slug for s in c.successors.all()],
        "skills": [s.slug for s in c.skills.all()],
        "roles": [r.slug for r in c.roles.all()],
        "claims": [_claim(claim) for claim in c.claims.all()],
        "sources": [
            {"source": cs.source.slug, "supports": cs.supports}
            for cs in c.certification_sources.all()
        ],
        "page": _absolute(c.get_absolute_url()),
        "changes": _changes("certification", c.slug),
    }


def _role(r):
    return {
        "slug": r.slug,
        "title": r.title,
        "kind": r.kind,
        "rank": r.rank,
        "alternative_titles": r.alternative_title_list,
        "years_min": r.years_min,
        "years_max": r.years_max,
        "years_estimated": r.years_estimated,
        "summary": r.summary,
        "responsibilities": r.responsibility_list,
        "next_roles": [n.slug for n in r.next_roles.all()],
        "skills": [
            {"skill": rs.skill.slug, "importance": rs.importance} for rs in r.role_skills.all()
        ],
        "claims": [_claim(claim) for claim in r.claims.all()],
        "sources": [s.slug for s in r.sources.all()],
        "page": _absolute(r.get_absolute_url()),
        "changes": _changes("role", r.slug),
    }


def _skill(s):
    return {
        "slug": s.slug,
        "name": s.name,
        "area": {"slug": s.area.slug, "name": s.area.name},
        "summary": s.summary,
        "why_it_matters": s.why_it_matters,
        "why_source": s.why_source.slug if s.why_source else None,
        "prerequisites": [p.slug for p in s.prerequisites.all()],
        "effort_hours_low": s.effort_hours_low,
        "effort_hours_high": s.effort_hours_high,
        "claims": [_claim(claim) for claim in s.claims.all()],
        "page": _absolute(s.get_absolute_url()),
        "changes": _changes("skill", s.slug),
    }


def _source(s):
    return {
        "slug": s.slug,
        "title": s.title,
        "publisher": s.publisher,
        "url": s.url or None,
        "kind": s.kind,
        "tier": s.tier_label,
        "relays": s.relays,
        "published_on": s.published_on,
        "checked_on": s.checked_on,
        "page": _absolute(f"{reverse('roadmap:sources')}#source-{s.slug}"),
    }


CLAIMS = Prefetch("claims", queryset=Claim.objects.shown())


def _certifications(today, status=None, provider=None, slug=None):
    rows = Certification.objects.with_status(today).prefetch_related(
        "successors",
        "skills",
        "roles",
        CLAIMS,
        Prefetch(
            "certification_sources",
            queryset=CertificationSource.objects.select_related("source"),
        ),
    )
    if status:
        rows = rows.filter(status_code=status)
    if provider:
        rows = rows.filter(provider=provider)
    if slug:
        rows = rows.filter(slug=slug)
    return [_certification(c, today) for c in rows.order_by("provider", "name")]


def _roles(kind=None, slug=None):
    rows = Role.objects.prefetch_related(
        "next_roles",
        "sources",
        CLAIMS,
        Prefetch("role_skills", queryset=RoleSkill.objects.select_related("skill")),
    )
    if kind:
        rows = rows.filter(kind=kind)
    if slug:
        rows = rows.filter(slug=slug)
    return [_role(r) for r in rows]


def _skills(area=None, slug=None):
    rows = Skill.objects.select_related("area", "why_source").prefetch_related(
        "prerequisites", CLAIMS
    )
    if area:
        rows = rows.filter(area__slug=area)
    if slug:
        rows = rows.filter(slug=slug)
    return [_skill(s) for s in rows.order_by("area__position", "name")]


def _json(request, schema, key, build):
    """The answer for `key` in this catalogue version and day, from the cache if there."""
    version, _ = _stamp(request)

    def render():
        data = build(version, timezone.localdate())
        if data is None:
            raise HttpError(404, "Not found in the catalogue.")
        return schema.model_validate(data).model_dump_json().encode()

    body = caching.remember(caching.dated_key("api", key, version=version), render)
    response = HttpResponse(body, content_type="application/json")
    response["Link"] = f'<{settings.DATA_LICENCE["url"]}>; rel="license"'
    return response


def _envelope(version, items):
    return {
        "licence": _licence(),
        "catalogue_version": version,
        "count": len(items),
        "items": items,
    }


def _one(items):
    return items[0] if items else None


def _key(*parts):
    # Values come from validated parameters; cut and joined so a key stays short.
    return ":".join(str(p or "")[:80] for p in parts)


# --------------------------------------------------------------------------- operations


@api.get("/", response=Index, summary="What the API offers, and its licence")
def index(request):
    def build(version, today):
        base = reverse("api:index")
        return {
            "licence": _licence(),
            "catalogue_version": version,
            "endpoints": {
                name: _absolute(base + name + "/")
                for name in ("certifications", "roles", "skills", "sources")
            },
            "openapi": _absolute(reverse("api:openapi-json")),
            "documentation": _absolute(reverse("roadmap:open_data")),
        }

    return _json(request, Index, "index", build)


@api.get("/certifications/", response=CertificationList, summary="Certifications")
def certifications(request, filters: Query[CertificationFilters]):
    """Every certification with its lifecycle, claims (cost, exam length...) and sources.
    Filter by `status` (computed for today) or by exact `provider`."""
    if filters.provider and not Certification.objects.filter(provider=filters.provider).exists():
        raise HttpError(400, "No certification provider has that name.")
    return _json(
        request,
        CertificationList,
        _key("certs", filters.status, filters.provider),
        lambda v, today: _envelope(v, _certifications(today, filters.status, filters.provider)),
    )


@api.get(
    "/certifications/{slug}/",
    response={200: CertificationOut, 404: ErrorOut},
    summary="One certification",
)
def certification(request, slug: str):
    return _json(
        request,
        CertificationOut,
        _key("cert", slug),
        lambda v, today: _one(_certifications(today, slug=slug[:80])),
    )


@api.get("/roles/", response=RoleList, summary="Roles")
def roles(request, filters: Query[RoleFilters]):
    """The ladder and the adjacent roles, with the skills each adds and their pay claims."""
    return _json(
        request,
        RoleList,
        _key("roles", filters.kind),
        lambda v, t: _envelope(v, _roles(filters.kind)),
    )


@api.get("/roles/{slug}/", response={200: RoleOut, 404: ErrorOut}, summary="One role")
def role(request, slug: str):
    return _json(request, RoleOut, _key("role", slug), lambda v, t: _one(_roles(slug=slug[:80])))


@api.get("/skills/", response=SkillList, summary="Skills")
def skills(request, filters: Query[SkillFilters]):
    """Every skill with its area, prerequisites, effort estimates and claims. Filter by
    `area` slug."""
    if filters.area and not SkillArea.objects.filter(slug=filters.area[:80]).exists():
        raise HttpError(400, "No skill area has that slug.")
    return _json(
        request,
        SkillList,
        _key("skills", filters.area),
        lambda v, t: _envelope(v, _skills(filters.area)),
    )


@api.get("/skills/{slug}/", response={200: SkillOut, 404: ErrorOut}, summary="One skill")
def skill(request, slug: str):
    return _json(
        request, SkillOut, _key("skill", slug), lambda v, t: _one(_skills(slug=slug[:80]))
    )


@api.get("/sources/", response=SourceList, summary="Sources")
def sources(request):
    """Every source behind the catalogue: its tier, when it was published and checked."""
    return _json(
        request,
        SourceList,
        "sources",
        lambda v, t: _envelope(v, [_source(s) for s in Source.objects.all()]),
    )
