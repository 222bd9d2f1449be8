"""Pay you can compare: a region's pay figures, grouped into series, and the picture of each
series up the ladder. Pure functions over claims and roles already loaded (no queries here).

A *series* is the figures of one survey (Claim.series) for one region, currency and period:
only those are put on one axis. Figures of different series, or one-off figures, are never
drawn together; where they sit side by side the page says so. Nothing is converted: a
figure keeps its source's currency and period (an hourly wage stays hourly).
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from . import facts
from .models import Claim, PayPeriod, PayRegion

DEFAULT_REGION = PayRegion.US
POINT_KINDS = {Claim.FigureKind.MEDIAN, Claim.FigureKind.MEAN}
SPAN_KINDS = {Claim.FigureKind.RANGE, Claim.FigureKind.PERCENTILES}
# An axis has four equal steps; a step is one of these times a power of ten.
NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
AXIS_WIDTH = 1000  # the bars' SVG viewBox width
# The series' names in full, as their publishers give them.
SERIES_NAMES = {
    "BLS OEWS": "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics",
    "ONS ASHE": "Office for National Statistics, Annual Survey of Hours and Earnings",
    "Job Bank": "Job Bank (Government of Canada), wage data",
    "WorkBC": "WorkBC (Government of British Columbia), career profiles",
    "BA Entgeltatlas": "Bundesagentur für Arbeit (Federal Employment Agency), Entgeltatlas",
}


def region_of(asked="", saved=""):
    """The region to show: the one asked for (query string), else the saved one, else the
    default. Anything that is not a known region is ignored."""
    for code in (asked, saved):
        code = (code or "").upper()
        if code in PayRegion.values:
            return PayRegion(code)
    return DEFAULT_REGION


def family(claim):
    """What makes two figures comparable: the same series (or, for a one-off figure, the
    same source), region, currency and period."""
    where = (claim.region, claim.unit, claim.pay_period)
    if claim.series:
        return ("series", claim.series, *where)
    return ("source", claim.source_id, *where)


def _newest_first(claim):
    return (-(claim.data_year or 0), claim.period)


@dataclass
class Figures:
    """One role's pay figures in one region, its series first, newest data first."""

    facts: list
    families: int

    @property
    def mixed(self):
        """Figures of different sources, regions or periods sit side by side."""
        return self.families > 1


def figures(claims, region):
    mine = [c for c in claims if c.country == region]
    groups = facts.group(mine)
    for fact in groups:
        fact.claims.sort(key=_newest_first)  # group() put official first; year leads here
    groups.sort(
        key=lambda f: (not f.claims[0].series, f.claims[0].series, *_newest_first(f.claims[0]))
    )
    return Figures(groups, len({family(c) for c in mine}))


def regions_with_figures(claims):
    """[(region, number of figures)] for every region some of these claims are about."""
    counts = {}
    for claim in claims:
        if claim.country:
            counts[claim.country] = counts.get(claim.country, 0) + 1
    return [(PayRegion(code), counts[code]) for code in PayRegion.values if code in counts]


@dataclass
class Row:
    """One role (and one occupation) in a series: its newest figure and where it sits."""

    role: object
    point: Claim | None = None  # a median or an average
    span: Claim | None = None  # a range or percentiles (or a lower bound, open-ended)
    older: list = field(default_factory=list)  # the series' older figures, newest first
    highlight: str = ""  # why the row is marked: "this role", "you now"...
    same_as_below: bool = False
    x: float = 0
    x0: float = 0
    x1: float = 0

    @property
    def claims(self):
        return [c for c in (self.point, self.span) if c is not None]

    @property
    def width(self):
        return round(self.x1 - self.x0, 1)

    @property
    def first(self):
        return self.point or self.span

    @property
    def open_ended(self):
        return self.span is not None and self.span.figure_kind == Claim.FigureKind.LOWER_BOUND


@dataclass
class Chart:
    """One series in one region on one axis: a row per rung (and per adjacent role)."""

    series: str
    region: str
    unit: str
    pay_period: str
    ladder: list
    adjacent: list
    axis_max: Decimal = Decimal(0)
    ticks: list = field(default_factory=list)  # labels at 0, 25, 50, 75 and 100 %

    @property
    def title(self):
        return SERIES_NAMES.get(self.series, self.series)

    @property
    def rows(self):
        return self.ladder + self.adjacent

    @property
    def filled(self):
        return [row for row in self.rows if row.claims]

    @property
    def period_label(self):
        return PayPeriod(self.pay_period).label

    @property
    def sources(self):
        """The sources of the figures drawn, each once, official first."""
        seen = {}
        for row in self.filled:
            for claim in row.claims:
                seen.setdefault(claim.source.pk, claim.source)
        return sorted(seen.values(), key=lambda s: facts.TIER_ORDER.get(s.kind, 99))

    @property
    def populations(self):
        return sorted({c.population for row in self.filled for c in row.claims if c.population})

    @property
    def years(self):
        """The data years drawn, newest first ('' for a figure whose year is not given)."""
        years = {row.first.when_label or "year not stated" for row in self.filled}
        return sorted(years, reverse=True)

    @property
    def years_differ(self):
        return len(self.years) > 1


def _rows(role, claims):
    """A role's rows in a series: its newest figures, one row per occupation."""
    if not claims:
        return [Row(role)]
    newest = max(c.data_year or 0 for c in claims)
    rows = {}
    for claim in sorted(claims, key=lambda c: c.pk or 0):
        row = rows.setdefault(claim.occupation, Row(role))
        if (claim.data_year or 0) != newest:
            row.older.append(claim)
        elif claim.figure_kind in POINT_KINDS and row.point is None:
            row.point = claim
        elif row.span is None and claim.figure_kind not in POINT_KINDS:
            row.span = claim
    for row in rows.values():
        row.older.sort(key=_newest_first)
    # An occupation known only from older data keeps its newest older figure on the axis.
    for row in rows.values():
        if not row.claims and row.older:
            first = row.older.pop(0)
            if first.figure_kind in POINT_KINDS:
                row.point = first
            else:
                row.span = first
    return list(rows.values())


def nice_axis(top):
    """The axis's end: four equal, round steps that reach past the top value."""
    top = float(top)
    if top <= 0:
        return Decimal(1), Decimal("0.25")
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(n * power for n in NICE_STEPS if n * power >= raw)
    step = Decimal(str(round(step, 6))).normalize()
    return step * 4, step


def _place(value, axis_max):
    return round(float(value) / float(axis_max) * AXIS_WIDTH, 1)


def charts(roles, salaries, region, highlight=None):
    """The region's series, each as a chart with a row for every role (the ladder by rank,
    then the adjacent roles), series covering the most roles first.

    `roles` are Role objects; `salaries` maps a role's pk to its pay claims; `highlight`
    maps the pks of the roles to mark to why (this role, or a learner's current and target).
    """
    highlight = highlight or {}
    ladder = sorted((r for r in roles if r.is_ladder), key=lambda r: r.rank)
    adjacent = sorted((r for r in roles if not r.is_ladder), key=lambda r: r.title)
    by_family = {}
    for role in ladder + adjacent:
        for claim in salaries.get(role.pk, []):
            if claim.country == region and claim.series:
                by_family.setdefault(family(claim), {}).setdefault(role.pk, []).append(claim)
    out = []
    for key, claims_by_role in by_family.items():
        _, series, where, unit, pay_period = key
        chart = Chart(series, where, unit, pay_period, [], [])
        for role in ladder + adjacent:
            rows = _rows(role, claims_by_role.get(role.pk, []))
            for row in rows:
                row.highlight = highlight.get(role.pk, "")
            (chart.ladder if role.is_ladder else chart.adjacent).extend(rows)
        _mark_repeats(chart.ladder)
        _scale(chart)
        out.append(chart)
    out.sort(key=lambda c: (-len({r.role.pk for r in c.filled}), c.series, c.region))
    return out


def _mark_repeats(rows):
    """A rung whose figure is the rung below's (one occupation stands for both levels)."""
    below = None
    for row in rows:
        if below is not None and row.first is not None and below.first is not None:
            row.same_as_below = (
                row.first.occupation == below.first.occupation
                and row.first.value_key == below.first.value_key
            )
        below = row


def _scale(chart):
    values = [
        v for row in chart.filled for c in row.claims for v in (c.amount, c.amount_high) if v
    ]
    chart.axis_max, step = nice_axis(max(values, default=0))
    chart.ticks = [f"{chart.unit} {_tick(step * n)}" for n in range(5)]
    for row in chart.filled:
        if row.point is not None:
            row.x = _place(row.point.amount, chart.axis_max)
        if row.span is not None:
            row.x0 = _place(row.span.amount, chart.axis_max)
            high = row.span.amount_high if not row.open_ended else chart.axis_max
            row.x1 = _place(high, chart.axis_max)


def _tick(value):
    value = Decimal(value).normalize()
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,}"
