"""The plan above a team's matrix: what a Head of AI budgets and hires with.

Always measured against the team's reference role, whatever the matrix shows: coverage per
skill area, the core skills one person or nobody holds (the "bus factor"), the same over the
last 12 weeks, the sourced exam cost of the members' certification plans, and the core skills
nobody has and nobody is learning. Built from what team_coverage already read, plus one query
for the exam costs (a catalogue-sized table), so it costs the same at 5 members as at 200.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html_join

from roadmap.facts import group
from roadmap.models import CertificationProgress, Claim
from roadmap.models.claims import _number

WEEKS = 12
CHART_BASE = 110  # the chart's baseline (y)
CHART_TALLEST = 86


@dataclass
class AreaCoverage:
    area: str
    skills: int
    by_one: int  # done by at least one member
    by_two: int  # done by at least two

    @property
    def one_percent(self):
        return 100 * self.by_one // self.skills if self.skills else 0

    @property
    def two_percent(self):
        return 100 * self.by_two // self.skills if self.skills else 0


@dataclass
class WeekPoint:
    start: datetime.date  # the week's Monday
    two: int  # core skills held by two or more at the week's end
    one: int
    nobody: int
    x: int = 0
    y: int = 0
    height: int = 0

    @property
    def at_risk(self):
        return self.one + self.nobody


@dataclass
class Budget:
    totals: list = field(default_factory=list)  # [(currency, low, high, label)]
    sourced: int = 0  # plans with a sourced cost
    differing: int = 0  # of those, plans whose sources give more than one figure
    unsourced: list = field(default_factory=list)  # certifications, once per plan

    @property
    def unsourced_counts(self):
        """[(certification, how many plans)], each certification once, by name."""
        counts = {}
        for certification in self.unsourced:
            counts[certification] = counts.get(certification, 0) + 1
        return sorted(counts.items(), key=lambda item: item[0].name)

    @property
    def unsourced_html(self):
        """'<a>Name</a> (3 plans), <a>Other</a>'."""
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>{}',
            (
                (c.get_absolute_url(), c.name, f" ({n} plans)" if n > 1 else "")
                for c, n in self.unsourced_counts
            ),
        )


@dataclass
class TeamPlan:
    areas: list
    core: int  # core skills of the reference role
    single: list  # Skill: core skills exactly one member has done
    nobody: list  # Skill: core skills nobody has done
    weeks: list
    budget: Budget
    hire: list  # Skill: core skills nobody has done and nobody is learning

    @property
    def at_risk(self):
        return len(self.single) + len(self.nobody)

    single_html = property(lambda self: skill_links(self.single))
    nobody_html = property(lambda self: skill_links(self.nobody))
    hire_html = property(lambda self: skill_links(self.hire))


def skill_links(skills):
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((s.get_absolute_url(), s.name) for s in skills)
    )


def _holders(coverage, slug):
    """How many members have `slug` done."""
    return sum(1 for row in coverage.progress.values() if row.get(slug, ("",))[0] == "done")


def _weeks(coverage, core, now):
    # Per core skill, when each member who has it done completed it (None: no time known).
    done_at = {slug: [] for slug in core}
    for row in coverage.progress.values():
        for slug in core:
            status, completed_at = row.get(slug, ("not_started", None))
            if status == "done":
                done_at[slug].append(completed_at)
    today = timezone.localdate(now)
    this_monday = today - datetime.timedelta(days=today.weekday())
    points = []
    for n in range(WEEKS - 1, -1, -1):
        start = this_monday - datetime.timedelta(weeks=n)
        midnight = datetime.datetime.combine(start + datetime.timedelta(days=7), datetime.time())
        end = min(timezone.make_aware(midnight), now)
        held = [sum(1 for t in done_at[slug] if t is None or t < end) for slug in core]
        points.append(
            WeekPoint(
                start,
                sum(1 for h in held if h >= 2),
                sum(1 for h in held if h == 1),
                sum(1 for h in held if h == 0),
            )
        )
    tallest = len(core) or 1
    for i, point in enumerate(points):
        point.x = 40 + i * 48
        point.height = round(CHART_TALLEST * point.at_risk / tallest)
        point.y = CHART_BASE - point.height
    return points


def _budget(coverage):
    """The sourced exam cost of every planned or preparing certification on the members'
    plans, per currency: a range where sources give different figures."""
    claims = {}
    for claim in Claim.objects.filter(
        attribute=Claim.Attribute.COST, certification__isnull=False, amount__isnull=False
    ).select_related("source"):
        claims.setdefault(claim.certification_id, []).append(claim)
    budget, totals = Budget(), {}
    wanted = (CertificationProgress.Status.PLANNED, CertificationProgress.Status.PREPARING)
    for plans in coverage.plan_statuses.values():
        for certification, status in plans:
            if status not in wanted:
                continue
            own = claims.get(certification.pk)
            if not own:
                budget.unsourced.append(certification)
                continue
            # The currency of the most trusted source's figure; every figure in it counts.
            unit = group(own)[0].claims[0].unit
            figures = [c for c in own if c.unit == unit]
            low = min(c.amount for c in figures)
            high = max(c.amount_high or c.amount for c in figures)
            budget.sourced += 1
            budget.differing += low != high
            total = totals.setdefault(unit, [Decimal(0), Decimal(0)])
            total[0] += low
            total[1] += high
    for unit, (low, high) in sorted(totals.items()):
        label = f"{unit} {_number(low)}"
        if high != low:
            label += f"–{_number(high)}"
        budget.totals.append((unit, low, high, label))
    return budget


def team_plan(coverage, now=None):
    """The team's plan, from `coverage` (accounts.coverage.team_coverage)."""
    now = now or timezone.now()
    graph = coverage.graph
    infos = graph.skill_infos
    in_order = sorted(
        coverage.reference_skills,
        key=lambda s: (infos[s].area_position, infos[s].name.lower()),
    )
    held = {slug: _holders(coverage, slug) for slug in in_order}
    areas = []
    for slug in in_order:
        if not areas or areas[-1].area != infos[slug].area:
            areas.append(AreaCoverage(infos[slug].area, 0, 0, 0))
        areas[-1].skills += 1
        areas[-1].by_one += held[slug] >= 1
        areas[-1].by_two += held[slug] >= 2
    core = [s for s in in_order if s in coverage.reference_core]
    learning = {
        slug
        for row in coverage.progress.values()
        for slug, (status, _) in row.items()
        if status == "learning"
    }
    return TeamPlan(
        areas=areas,
        core=len(core),
        single=[graph.skills[s] for s in core if held[s] == 1],
        nobody=[graph.skills[s] for s in core if held[s] == 0],
        weeks=_weeks(coverage, core, now),
        budget=_budget(coverage),
        hire=[graph.skills[s] for s in core if held[s] == 0 and s not in learning],
    )
