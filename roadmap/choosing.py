"""Choosing certifications, as pure functions over plain data (no database, no request):
the best next certification for a learner, and what the exam fees of a plan add up to.

The selectors (roadmap/selectors.py) turn the catalogue and the user's progress into these
inputs; the templates turn the answers into words.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class NextPick:
    """The certification to take next, and why, in terms the page can put into words."""

    slug: str
    core_covered: tuple  # slugs of the remaining core skills it covers, in path order
    core_remaining: int  # how many core skills are left on the path
    other_covered: tuple  # slugs of the remaining recommended skills it covers
    fits_target: bool  # the catalogue lists it for the target role
    retiring: bool  # it retires soon (within the retiring window)


def next_certification(certs, remaining, recommended=frozenset(), target=None, earned=()):
    """The best certification to take next, or None.

    `certs` are roadmap.path.CertInfo; `remaining` the slugs of the skills left on the path
    (not done or skipped), in path order; `recommended` the path's recommended (not core)
    skills; `target` the target role's slug; `earned` the slugs of certifications the user
    has already earned.

    Never a retired certification, a category (no single certificate), or one already
    earned; only one that covers a remaining skill or is listed for the target. Best first:
    one that is not retiring, then the most remaining core skills covered, then listed for
    the target, then the most remaining recommended skills, then by slug (a stable answer).
    Cost and exam length are told beside the choice, never ranked: fees in different
    currencies cannot be compared without guessing an exchange rate.
    """
    core = [s for s in remaining if s not in recommended]
    others = [s for s in remaining if s in recommended]
    earned = set(earned)
    picks = []
    for cert in certs:
        if cert.retired or cert.category or cert.slug in earned:
            continue
        core_covered = tuple(s for s in core if s in cert.skills)
        other_covered = tuple(s for s in others if s in cert.skills)
        fits = target is not None and target in cert.roles
        if not (core_covered or other_covered or fits):
            continue
        picks.append(
            NextPick(
                cert.slug,
                core_covered,
                len(core),
                other_covered,
                fits,
                cert.retiring,
            )
        )
    if not picks:
        return None
    return min(
        picks,
        key=lambda p: (
            p.retiring,
            -len(p.core_covered),
            not p.fits_target,
            -len(p.other_covered),
            p.slug,
        ),
    )


@dataclass(frozen=True)
class Fee:
    """One certification's sourced exam fee, in one currency: a range where sources give
    different figures in it."""

    unit: str
    low: Decimal
    high: Decimal

    @property
    def label(self):
        """'USD 465', or 'USD 465–615' for a range."""
        if self.low == self.high:
            return f"{self.unit} {_amount(self.low)}"
        return f"{self.unit} {_amount(self.low)}–{_amount(self.high)}"


def _amount(value):
    """1,234 for a whole number, 1,234.50 otherwise."""
    value = Decimal(str(value))
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def exam_fee(figures):
    """The fee from sourced figures, or None when there are none.

    `figures` are (currency, amount, top of a range or None), the most telling first (the
    general price before a topic's or a region's, the most trusted source first). The fee
    is in the currency of the first figure, from the lowest to the highest figure in that
    currency; a figure in another currency is left out, never converted.
    """
    figures = [f for f in figures if f[1] is not None and f[0]]
    if not figures:
        return None
    unit = figures[0][0]
    same = [(low, high if high is not None else low) for u, low, high in figures if u == unit]
    return Fee(unit, min(low for low, _ in same), max(high for _, high in same))


@dataclass(frozen=True)
class PlanCost:
    totals: tuple  # Fee per currency, by currency code: never added across currencies
    sourced: int  # certifications counted in the totals
    unsourced: tuple  # slugs of certifications without a sourced fee

    @property
    def differing(self):
        """Whether any total is a range (sources give different fees)."""
        return any(t.low != t.high for t in self.totals)


def plan_cost(fees):
    """What a plan's exam fees add up to, per currency.

    `fees` are (certification slug, Fee or None). A certification without a sourced fee
    is counted apart, by name, never as zero.
    """
    totals, sourced, unsourced = {}, 0, []
    for slug, fee in fees:
        if fee is None:
            unsourced.append(slug)
            continue
        sourced += 1
        low, high = totals.get(fee.unit, (Decimal(0), Decimal(0)))
        totals[fee.unit] = (low + fee.low, high + fee.high)
    return PlanCost(
        tuple(Fee(unit, low, high) for unit, (low, high) in sorted(totals.items())),
        sourced,
        tuple(unsourced),
    )
