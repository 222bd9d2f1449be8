"""Builds a user's path from the database, using roadmap.path for the logic.

The catalogue side (roles, skills, prerequisites, certifications, salary bands) is the same
for everybody and changes only when an admin edits it, so each process keeps it in memory
under the current CatalogueVersion: one tiny query tells whether it is still current. The
user's side (progress rows, certification plans) is read on every call.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import Membership

from . import caching, checks, choosing, comparing, facts, pay
from . import path as pathlib
from .models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    Claim,
    PayRegion,
    Role,
    RoleSkill,
    Skill,
    SkillProgress,
)
from .renewals import read_renewals

# What the choice of a next certification tells beside it (and the plan's cost adds up).
CHOOSING_FACTS = (Claim.Attribute.COST, Claim.Attribute.EXAM_MINUTES)


@dataclass
class Row:
    """One skill on the path, with the user's progress on it (None: never touched), and the
    path skills that need it first when it is on the path only for them."""

    skill: Skill
    progress: SkillProgress | None
    needed_for: tuple = ()

    @property
    def status(self):
        return self.progress.status if self.progress else SkillProgress.Status.NOT_STARTED

    @property
    def needed_for_text(self):
        """ "PyTorch and TensorFlow": the names of the skills that need this one first."""
        names = [s.name for s in self.needed_for]
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)

    @property
    def updated_since_marked(self):
        return self.progress is not None and self.progress.changed_since_seen(self.skill)

    @property
    def checked_at(self):
        """When the learner last passed the skill's self-check (None: never)."""
        return self.progress.checked_at if self.progress else None

    @property
    def recheck_due(self):
        return checks.recheck_due(self.checked_at, self.skill.fast_moving, timezone.now())


@dataclass
class PathGroup:
    role: Role
    rows: list
    pace: pathlib.Pace | None = None
    remaining: int = 0  # skills on this rung not yet done or skipped
    total: int = 0
    open: bool = True  # shown unfolded


@dataclass
class Graph:
    """The catalogue as the path needs it, plain data plus the model objects to render."""

    version: int
    roles: dict  # pk -> Role
    roles_by_slug: dict
    role_infos: list
    skills: dict  # slug -> Skill (with its area)
    slugs_by_pk: dict
    skill_infos: dict
    estimates: dict  # slug -> (low, high) hours, where an admin gave both
    certifications: dict  # slug -> Certification (with successors)
    certifications_by_pk: dict
    cert_infos: list  # (Certification, skill slugs, role slugs)
    salaries: dict = field(default_factory=dict)  # role pk -> [Claim] (pay figures)
    # certification pk -> [Claim]: its exam cost and length (CHOOSING_FACTS)
    cert_claims: dict = field(default_factory=dict)


def catalogue_graph(version=None):
    """The catalogue graph for the current version, built at most once per version."""
    version = CatalogueVersion.current() if version is None else version
    return caching.per_process(version, _build_graph)


def _build_graph(version):
    roles = list(
        Role.objects.prefetch_related(
            Prefetch("role_skills", queryset=RoleSkill.objects.order_by("pk"))
        )
    )
    skills = {s.pk: s for s in Skill.objects.select_related("area").prefetch_related("resources")}
    prereqs = {}
    for skill_id, prereq_id in Skill.prerequisites.through.objects.values_list(
        "from_skill_id", "to_skill_id"
    ):
        prereqs.setdefault(skill_id, []).append(skills[prereq_id].slug)
    certs = list(
        Certification.objects.prefetch_related(
            "successors",
            Prefetch("skills", queryset=Skill.objects.only("slug")),
            Prefetch("roles", queryset=Role.objects.only("slug")),
        )
    )
    # One query for the pay figures and for the certifications' exam fees and lengths (what
    # "the next certification" and the plan's cost say).
    salaries, cert_claims = {}, {}
    for claim in Claim.objects.filter(
        Q(attribute=Claim.Attribute.SALARY)
        | Q(certification__isnull=False, attribute__in=CHOOSING_FACTS)
    ).shown():
        if claim.attribute == Claim.Attribute.SALARY:
            salaries.setdefault(claim.role_id, []).append(claim)
        else:
            cert_claims.setdefault(claim.certification_id, []).append(claim)
    return Graph(
        version=version,
        roles={r.pk: r for r in roles},
        roles_by_slug={r.slug: r for r in roles},
        role_infos=[
            pathlib.RoleInfo(
                r.slug,
                r.title,
                r.is_ladder,
                r.rank,
                tuple(skills[rs.skill_id].slug for rs in r.role_skills.all()),
                frozenset(
                    skills[rs.skill_id].slug
                    for rs in r.role_skills.all()
                    if rs.importance == RoleSkill.Importance.RECOMMENDED
                ),
            )
            for r in roles
        ],
        skills={s.slug: s for s in skills.values()},
        slugs_by_pk={pk: s.slug for pk, s in skills.items()},
        estimates={
            s.slug: (s.effort_hours_low, s.effort_hours_high)
            for s in skills.values()
            if s.effort_hours_low is not None and s.effort_hours_high is not None
        },
        skill_infos={
            s.slug: pathlib.SkillInfo(
                s.slug, s.name, s.area.name, s.area.position, tuple(prereqs.get(s.pk, ()))
            )
            for s in skills.values()
        },
        certifications={c.slug: c for c in certs},
        certifications_by_pk={c.pk: c for c in certs},
        cert_infos=[
            (
                c,
                frozenset(s.slug for s in c.skills.all()),
                frozenset(r.slug for r in c.roles.all()),
            )
            for c in certs
        ],
        salaries=salaries,
        cert_claims=cert_claims,
    )


def _progress(user, graph):
    """{skill slug: SkillProgress} for the user (what the path's rows show)."""
    slugs = graph.slugs_by_pk
    rows = SkillProgress.objects.filter(user=user).only(
        "skill_id",
        "status",
        "note",
        "evidence_url",
        "updated_at",
        "seen_at",
        "started_at",
        "completed_at",
        "credited_from",
        "hours_estimate",
        "checked_at",
    )
    return {slugs[p.skill_id]: p for p in rows if p.skill_id in slugs}


def _statuses(user, graph):
    """What the standing needs of each of the user's rows, without model instances:
    {skill slug: Mark(status, credited, own hours estimate)}."""
    slugs = graph.slugs_by_pk
    rows = SkillProgress.objects.filter(user=user).values_list(
        "skill_id", "status", "credited_from", "hours_estimate"
    )
    return {
        slugs[skill_id]: Mark(status, bool(credited), hours)
        for skill_id, status, credited, hours in rows
        if skill_id in slugs
    }


@dataclass(frozen=True)
class Mark:
    status: str
    credited: bool = False
    hours: int | None = None


def _groups(user, graph):
    current = graph.roles.get(user.current_role_id)
    target = graph.roles.get(user.target_role_id)
    if target is None:
        return current, target, []
    groups = pathlib.compute_path(
        graph.role_infos, graph.skill_infos, current.slug if current else None, target.slug
    )
    return current, target, groups


def credit_for_current_role(user, version=None):
    """Mark done what the user's current role covers (SkillProgress.objects.credit; the path
    page's undo puts it back): (the role, the skills changed), or (None, []) without one."""
    graph = catalogue_graph(version)
    current = graph.roles.get(user.current_role_id)
    if current is None:
        return None, []
    covered = [graph.skills[s] for s in pathlib.covered_by(graph.role_infos, current.slug)]
    return current, SkillProgress.objects.credit(user, covered)


def path_skill_slugs(user, version=None):
    """The slugs of every skill on the user's path (empty without a target)."""
    graph = catalogue_graph(version)
    _, _, groups = _groups(user, graph)
    return {slug for g in groups for slug in g.skills}


def _summary(graph, statuses, current, target, groups):
    path_slugs = [slug for g in groups for slug in g.skills]
    recommended = pathlib.recommended_on_path(groups)
    held = pathlib.held_skills(graph.role_infos, current.slug if current else None)
    ready = pathlib.up_next(
        path_slugs, statuses, graph.skill_infos, recommended=recommended, held=held
    )
    summary = pathlib.summarise(path_slugs, statuses, graph.skill_infos, recommended)
    return {
        "target_role": target,
        "summary": summary if target else None,
        "up_next": [graph.skills[s] for s in ready],
        "recommended": recommended,
    }


CHART_BASE = 110  # the weekly chart's baseline (y); bars rise at most CHART_TALLEST above it
CHART_TALLEST = 86  # leaves room above the tallest bar for its label


def _bars(series, x0=40, step=48):
    """Bars for [(start, count)], the tallest CHART_TALLEST high."""
    most = max((n for _, n in series), default=0) or 1
    bars = []
    for i, (start, n) in enumerate(series):
        height = round(CHART_TALLEST * n / most)
        bars.append(
            {
                "start": start,
                "count": n,
                "height": height,
                "x": x0 + i * step,
                "y": CHART_BASE - height,
            }
        )
    return bars


def progress_over_time(rows, weeks=12, months=12):
    """Skills completed per month and per week (bars) and days with activity (a heatmap), as
    drawable data. A skill dated only by the month it was learned counts on its first day."""
    today = timezone.localdate()
    completed = [timezone.localtime(r.completed_at).date() for r in rows if r.completed_at]
    # A start at the very moment of completion (a skill marked done with its month) is one
    # event, not two.
    active = completed + [
        timezone.localtime(r.started_at).date()
        for r in rows
        if r.started_at and r.started_at != r.completed_at
    ]
    monthly = _bars(pathlib.monthly_completions(completed, today, months))
    weekly = pathlib.weekly_completions(completed, today, weeks)
    most = max((n for _, n in weekly), default=0) or 1
    bars = [
        {
            "start": start,
            "count": n,
            "height": round(CHART_TALLEST * n / most),
            "x": 40 + i * 48,
        }
        for i, (start, n) in enumerate(weekly)
    ]
    for bar in bars:
        bar["y"] = CHART_BASE - bar["height"]
    grid = pathlib.activity_grid(active, today, weeks)
    cells = [
        {
            "x": 40 + w * 18,
            "y": 20 + d * 18,
            "day": cell[0],
            "count": cell[1],
            "level": min(cell[1], 3),
        }
        for w, week in enumerate(grid)
        for d, cell in enumerate(week)
        if cell is not None
    ]
    # A month's name above the first column (week) that starts in it.
    months, seen = [], None
    for w, week in enumerate(grid):
        monday = week[0][0] if week[0] else None
        if monday and (monday.year, monday.month) != seen:
            seen = (monday.year, monday.month)
            months.append({"x": 40 + w * 18, "label": monday.strftime("%b")})
    return {
        "monthly_bars": monthly,
        "monthly_total": sum(bar["count"] for bar in monthly),
        "weekly_bars": bars,
        "weekly_total": sum(n for _, n in weekly),
        "activity_cells": cells,
        "active_days": sum(1 for c in cells if c["count"]),
        "months": months[1:]
        if len(months) > 1 and months[1]["x"] - months[0]["x"] < 36
        else months,
        "legend": [{"x": 190 + i * 18, "level": i} for i in range(4)],
    }


def build_path(user, version=None, region=None):
    """Everything the path page shows, for one user (pay for `region`, else theirs)."""
    graph = catalogue_graph(version)
    progress = _progress(user, graph)
    marks = {slug: mark_of(p) for slug, p in progress.items()}
    current, target, groups = _groups(user, graph)
    plans = list(CertificationProgress.objects.filter(user=user).order_by("certification__name"))
    for plan in plans:
        # The certification with its successors, from the catalogue graph: no extra query.
        plan.certification = graph.certifications_by_pk[plan.certification_id]
    mine = {plan.certification.slug: plan.status for plan in plans}
    ctx = _standing(user, graph, marks, current, target, groups, mine)
    needed_first = ctx["needed_first"]
    for group, path_group in zip(groups, ctx["groups"], strict=True):
        path_group.rows = [
            Row(graph.skills[s], progress.get(s), needed_first.get(s, ())) for s in group.skills
        ]
        # Keeping a role current, a rung below starts folded unless something on it changed
        # since the user marked it.
        if ctx["keep_current"] and not path_group.open:
            path_group.open = any(row.updated_since_marked for row in path_group.rows)
    ctx["updated_since_marked"] = [
        row for g in ctx["groups"] for row in g.rows if row.updated_since_marked
    ]
    ctx.update(
        # A team manager's suggestions of a target role, for the user to accept or decline.
        suggestions=list(
            Membership.objects.filter(user=user, suggested_role__isnull=False).select_related(
                "team", "suggested_role"
            )
        ),
        certification_plans=plans,
        # Earned ones: expiry and renewal window by their sourced rules (one query, if any).
        renewals=read_renewals(plans),
        today=timezone.localdate(),
        plan_cost=plan_cost(graph, plans),
    )
    ctx.update(_pay(user, graph, current, target, region))
    return ctx


def _pay(user, graph, current, target, region):
    """The learner's pay section: their two roles' figures and the ladder's picture, in
    their region; from the catalogue graph, so no query."""
    region = region or pay.region_of("", user.pay_region)
    marks = {}
    if current:
        marks[current.pk] = "you now"
    if target:
        marks[target.pk] = "your target"
    now = graph.salaries.get(current.pk, []) if current else []
    aim = graph.salaries.get(target.pk, []) if target else []
    return {
        "region": region,
        "pay_regions": PayRegion.choices,
        "current_figures": pay.figures(now, region),
        "target_figures": pay.figures(aim, region),
        # Now and target sit side by side: do their figures come from more than one source?
        "pay_side_by_side_mixed": pay.figures(now + aim, region).mixed,
        "charts": pay.charts(graph.roles.values(), graph.salaries, region, highlight=marks),
    }


def marks_of(user, version=None):
    """The user's marks as build_tick takes them (one query)."""
    return _statuses(user, catalogue_graph(version))


def build_tick(user, version=None, marks=None, previous=None):
    """What a tick changes besides its row: the counts, Up next, the ladder, the
    certifications for what is left and each rung's pace (statuses only, no rows).

    With `previous` (the marks before the tick) only what differs is flagged in
    ctx["changed"], and only the rungs whose pace or count moved stay in ctx["groups"]: the
    tick's answer carries those parts and nothing else.
    """
    graph = catalogue_graph(version)
    marks = _statuses(user, graph) if marks is None else marks
    current, target, groups = _groups(user, graph)
    parts = (
        "summary",
        "up_next",
        "credit",
        "rungs",
        "recommended_certifications",
        "next_certification",
    )
    # The plan labels the certifications for what is left and rules out an earned one as
    # the next: one small query.
    mine = _plans_of(user)
    # The certifications as the standing ranks them do not depend on the marks: made once
    # for the standing before and after the tick.
    certs = _cert_infos(graph)
    ctx = _standing(user, graph, marks, current, target, groups, mine, certs)
    if previous is None:
        ctx["changed"] = dict.fromkeys(parts, True)
        return ctx
    old = _standing(user, graph, previous, current, target, groups, mine, certs)
    ctx["changed"] = {part: ctx[part] != old[part] for part in parts}
    ctx["groups"] = [
        new
        for new, was in zip(ctx["groups"], old["groups"], strict=True)
        if (new.pace, new.remaining) != (was.pace, was.remaining)
    ]
    return ctx


def _plans_of(user):
    """{certification slug: plan status} for the user."""
    return dict(
        CertificationProgress.objects.filter(user=user).values_list(
            "certification__slug", "status"
        )
    )


def mark_of(progress):
    return Mark(progress.status, bool(progress.credited_from), progress.hours_estimate)


def _credit(graph, marks, current):
    """What the current role could vouch for (not yet done or skipped), and how many skills
    it already vouched for (undoable)."""
    if current is None:
        return None
    covered = pathlib.covered_by(graph.role_infos, current.slug)
    open_ = [
        graph.skills[s]
        for s in covered
        if s in graph.skills and marks.get(s, Mark("")).status not in pathlib.DONE_OR_SKIPPED
    ]
    credited = sum(1 for m in marks.values() if m.credited and m.status == "done")
    if not open_ and not credited:
        return None
    return {"role": current, "skills": open_, "credited": credited}


def _path_group(user, graph, group, marks, kept=None):
    """One rung of the path with its pace (rows are added by build_path). A rung with
    nothing left starts folded; keeping a role current (`kept`: its slug), every rung but
    the role's own."""
    remaining = [
        s for s in group.skills if marks.get(s, Mark("")).status not in pathlib.DONE_OR_SKIPPED
    ]
    own = {s: marks[s].hours for s in remaining if s in marks and marks[s].hours}
    return PathGroup(
        graph.roles_by_slug[group.role.slug],
        [],
        pathlib.pace(remaining, graph.estimates, user.hours_per_week, timezone.localdate(), own),
        len(remaining),
        len(group.skills),
        open=group.role.slug == kept if kept else bool(remaining),
    )


def _cert_infos(graph):
    """The catalogue's certifications as the path ranks them, with their status today."""
    today = timezone.localdate()
    infos = []
    for c, skills, roles in graph.cert_infos:
        status = c.status_on(today)
        infos.append(
            pathlib.CertInfo(
                c.slug,
                status == Certification.Status.RETIRED,
                skills,
                c.is_category,
                roles,
                retiring=status == Certification.Status.RETIRING,
            )
        )
    return infos


def _standing(user, graph, marks, current, target, groups, mine, certs=None):
    """Everything on the path that depends on the statuses (shared by page and tick)."""
    statuses = {slug: m.status for slug, m in marks.items()}
    ctx = _summary(graph, statuses, current, target, groups)
    path_slugs = [slug for g in groups for slug in g.skills]
    remaining = [s for s in path_slugs if statuses.get(s) not in pathlib.DONE_OR_SKIPPED]
    certs = _cert_infos(graph) if certs is None else certs
    keep = bool(target) and pathlib.keeps_current(current.slug if current else None, target.slug)
    if keep:
        # No higher target: what fits the role itself, whatever is marked.
        own = next(r.skills for r in graph.role_infos if r.slug == current.slug)
        held = pathlib.held_skills(graph.role_infos, current.slug)
        ranked = pathlib.fitting_certifications(certs, current.slug, own, held)
        by_slug = {c.slug: c for c in certs}
        ctx["certs_cover_own"] = any(
            current.slug in by_slug[slug].roles or by_slug[slug].skills & set(own)
            for slug, _ in ranked
        )
        ctx["listed_for_role"] = {s for s, _ in ranked if current.slug in by_slug[s].roles}
    else:
        ranked = pathlib.rank_certifications(certs, remaining)
    rungs = pathlib.rung_progress(
        graph.role_infos,
        statuses,
        current.slug if current else None,
        target.slug if target else None,
    )
    ctx.update(
        rungs=[(graph.roles_by_slug[r.role.slug], r) for r in rungs],
        current_role=current,
        target_role=target,
        groups=[_path_group(user, graph, g, marks, target.slug if keep else None) for g in groups],
        keep_current=keep,
        needed_first={
            slug: tuple(graph.skills[s] for s in needers)
            for g in groups
            for slug, needers in g.needed_for.items()
        },
        credit=_credit(graph, marks, current),
        recommended_certifications=[
            (
                graph.certifications[slug],
                count,
                CertificationProgress.Status(mine[slug]) if slug in mine else None,
            )
            for slug, count in ranked
        ],
        statuses=SkillProgress.Status.choices,
        plan_statuses=CertificationProgress.Status.choices,
        next_certification=_next_certification(
            graph, certs, remaining, ctx["recommended"], target, mine, [s for s, _ in ranked]
        ),
    )
    return ctx


@dataclass
class NextCertification:
    """The certification to take next, with what My path says about it."""

    certification: Certification
    pick: choosing.NextPick
    core_skills: list  # Skill: the remaining core skills it covers
    other_skills: list  # Skill: the remaining recommended skills it covers
    facts: list  # Fact: its exam cost and length, each with its sources
    plan_status: CertificationProgress.Status | None
    compare_url: str = ""  # it beside the other certifications the path suggests


def _next_certification(graph, certs, remaining, recommended, target, mine, suggested):
    earned = {s for s, status in mine.items() if status == CertificationProgress.Status.EARNED}
    pick = choosing.next_certification(
        certs, remaining, recommended, target.slug if target else None, earned
    )
    if pick is None:
        return None
    certification = graph.certifications[pick.slug]
    others = [s for s in suggested if s != pick.slug]
    return NextCertification(
        certification,
        pick,
        [graph.skills[s] for s in pick.core_covered],
        [graph.skills[s] for s in pick.other_covered],
        facts.certification_facts(
            certification, graph.cert_claims.get(certification.pk, []), CHOOSING_FACTS
        ),
        CertificationProgress.Status(mine[pick.slug]) if pick.slug in mine else None,
        comparing.compare_url([pick.slug, *others][: comparing.MOST]) if others else "",
    )


def exam_fee(graph, certification):
    """The certification's sourced exam fee (roadmap.choosing.exam_fee), or None."""
    claims = graph.cert_claims.get(certification.pk, [])
    cost = facts.group(c for c in claims if c.attribute == Claim.Attribute.COST)
    return choosing.exam_fee([(c.unit, c.amount, c.amount_high) for f in cost for c in f.claims])


@dataclass
class PlanCost:
    """What the exam fees of the certifications still to take on a plan add up to."""

    cost: choosing.PlanCost
    # (Certification, Fee or None, its cost facts) for each counted certification
    items: list
    unsourced: list  # Certification: counted, without a sourced fee
    retired: list  # Certification: on the plan, not earned, retired: not counted


def plan_cost(graph, plans):
    """The exam fees of the plan's certifications that are planned or being prepared for
    (earned ones are paid; retired ones can no longer be taken), per currency."""
    to_take = [p.certification for p in plans if p.status != CertificationProgress.Status.EARNED]
    counted = [c for c in to_take if not c.is_retired]
    items = []
    for certification in counted:
        claims = graph.cert_claims.get(certification.pk, [])
        cost = [f for f in facts.group(claims) if f.attribute == Claim.Attribute.COST]
        items.append((certification, exam_fee(graph, certification), cost))
    cost = choosing.plan_cost((c.slug, fee) for c, fee, _ in items)
    return PlanCost(
        cost,
        items,
        [c for c, fee, _ in items if fee is None],
        [c for c in to_take if c.is_retired],
    )


def remaining_skills(user, version=None):
    """The skills left on the user's path (neither done nor skipped), in path order; None
    without a target role (no path)."""
    graph = catalogue_graph(version)
    _, target, groups = _groups(user, graph)
    if target is None:
        return None
    statuses = {slug: m.status for slug, m in _statuses(user, graph).items()}
    return [s for g in groups for s in g.skills if statuses.get(s) not in pathlib.DONE_OR_SKIPPED]


def skill_status_context(user, skill, progress, version):
    """What _skill_status_form.html shows on a skill's own page."""
    return {
        "skill": skill,
        "status": progress.status if progress else SkillProgress.Status.NOT_STARTED,
        "statuses": SkillProgress.Status.choices,
        "on_path": skill.slug in path_skill_slugs(user, version),
        "has_note": bool(progress and (progress.note or progress.evidence_url)),
        # The month a "done" is dated to: the one recorded, else this month.
        "learned_in": (progress and progress.learned_in) or timezone.localdate().replace(day=1),
        "learned_recorded": bool(progress and progress.learned_in),
        "this_month": timezone.localdate().replace(day=1),
        # The self-check, as My path's row shows it (_checked.html).
        "row": Row(skill, progress),
    }


def you_context(user, version=None):
    """Where the signed-in user stands, for the catalogue pages: their current role and
    their target, from their profile (Role objects of the catalogue graph, or None)."""
    graph = catalogue_graph(version)
    return {
        "current": graph.roles.get(user.current_role_id),
        "target": graph.roles.get(user.target_role_id),
    }


def role_you_context(user, role, version=None):
    """What a role's page shows the signed-in user about that role (_you.html#role)."""
    you = you_context(user, version)
    below = role.is_below(you["current"])  # the profile's rule (accounts.forms.ProfileForm)
    return {
        "you": you,
        "role": role,
        "below": below,
        "can_target": role != you["target"] and not below,
    }
