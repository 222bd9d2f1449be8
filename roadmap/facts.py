"""Claims grouped into facts for display: the claims about one thing, official first, and
whether their sources disagree. Pure functions over claims already loaded.

A claim that a later rule replaced (another claim `supersedes` it) is not part of the fact's
current values and never makes a conflict: it is the fact's history, shown as "was ...,
changed by ..." beside the claim that replaced it."""

import datetime
from dataclasses import dataclass, field

from .models import Claim, Source

# What every certification page shows, with "no sourced figure yet" where nothing is known.
CERTIFICATION_FACTS = [
    Claim.Attribute.COST,
    Claim.Attribute.EXAM_MINUTES,
    Claim.Attribute.QUESTIONS,
    Claim.Attribute.PASSING_SCORE,
    Claim.Attribute.VALIDITY,
    Claim.Attribute.RENEWAL,
]
ATTRIBUTE_ORDER = {value: n for n, value in enumerate(Claim.Attribute.values)}
TIER_ORDER = {kind: n for n, kind in enumerate(Source.TIER_ORDER)}


@dataclass
class Fact:
    attribute: str
    label: str
    topic: str = ""
    region: str = ""
    claims: list = field(default_factory=list)
    # (old claim, the claim that replaced it), oldest change first.
    history: list = field(default_factory=list)

    @property
    def values(self):
        """The distinct values that can contradict each other, official first."""
        seen, out = set(), []
        for claim in self.claims:
            if claim.is_comparable and claim.value_key not in seen:
                seen.add(claim.value_key)
                out.append(claim.value_label)
        return out

    @property
    def by_value(self):
        """[(value in words, [the claims that state it])]: each value once (with its
        qualifier), the most trusted source first; for showing a fact in little room."""
        out = {}
        for claim in self.claims:
            label = claim.value_label
            if claim.qualifier:
                label = f"{label} ({claim.qualifier})"
            out.setdefault(label, []).append(claim)
        return list(out.items())

    @property
    def conflict(self):
        return len(self.values) > 1

    @property
    def disagreement(self):
        """'Sources disagree: 130 minutes or 170 minutes'."""
        return "Sources disagree: " + " or ".join(self.values)


def _tier(claim):
    return TIER_ORDER.get(claim.source.kind, len(TIER_ORDER))


def replacements(claims):
    """{id of a superseded claim: the claim that replaced it}, among these claims."""
    return {c.supersedes_id: c for c in claims if c.supersedes_id is not None}


def group(claims):
    """Facts from claims: one per conflict key, current claims official first, superseded
    ones as history; facts in the order of the attributes."""
    claims = list(claims)
    replaced = replacements(claims)
    facts = {}
    for claim in claims:
        fact = facts.get(claim.conflict_key)
        if fact is None:
            fact = facts[claim.conflict_key] = Fact(
                claim.attribute, claim.get_attribute_display(), claim.topic, claim.region
            )
        if claim.pk in replaced:
            fact.history.append((claim, replaced[claim.pk]))
        else:
            fact.claims.append(claim)
    for fact in facts.values():
        fact.claims.sort(key=_tier)
        fact.history.sort(key=lambda pair: (pair[0].on_date or datetime.date.min, pair[0].pk))
    return sorted(facts.values(), key=_in_order)


def _in_order(fact):
    """The key that puts facts in the order of their attributes, then topic and region."""
    return (ATTRIBUTE_ORDER.get(fact.attribute, 99), fact.topic, fact.region)


def certification_facts(certification, claims, attributes=CERTIFICATION_FACTS):
    """The standard facts of a certification (empty where no source gives one), then any
    others its claims state (launch, beta, retirement). `attributes`: which facts are
    standard, shown as "no sourced figure yet" when no claim states them."""
    facts = group(claims)
    present = {f.attribute for f in facts}
    if not certification.is_category:
        for attribute in attributes:
            if attribute not in present:
                facts.append(Fact(attribute, Claim.Attribute(attribute).label))
    return sorted(facts, key=_in_order)


def conflicts(claims):
    """Facts whose non-LOW sources disagree (LOW claims are never stored); superseded claims
    are history and take no part."""
    return [fact for fact in group(claims) if fact.conflict]


def settled_disputes(claims):
    """Facts still shown as a dispute although a later official fact or a change settles it:
    (fact, why) pairs, for `check_catalogue` to fail on.

    - a claim in the fact replaces an older one (a law or decision changed the rule), yet
      claims with other values are still current: they need marking as superseded too;
    - an official source published after every source of the other values states one of
      them: the older reports describe what it replaced.
    """
    out = []
    for fact in conflicts(claims):
        changes = [c for c in fact.claims if c.supersedes_id is not None]
        if changes:
            change = changes[0]
            others = [c for c in fact.claims if c.value_key != change.value_key]
            out.append(
                (
                    fact,
                    f"{change.change} changed it to {change.value_label}, but "
                    + "; ".join(f"{c.value_label} ({c.source.slug})" for c in others)
                    + " is not marked as superseded",
                )
            )
            continue
        official = [
            c
            for c in fact.claims
            if c.source.kind == Source.Kind.OFFICIAL and c.source.published_on is not None
        ]
        for newer in sorted(official, key=lambda c: c.source.published_on, reverse=True):
            others = [c for c in fact.claims if c.value_key != newer.value_key]
            if all(
                c.source.published_on is not None
                and c.source.published_on < newer.source.published_on
                for c in others
            ):
                out.append(
                    (
                        fact,
                        f"official {newer.source.slug} (published "
                        f"{newer.source.published_on:%d %b %Y}) states {newer.value_label}, "
                        "after every source of "
                        + "; ".join(f"{c.value_label} ({c.source.slug})" for c in others),
                    )
                )
                break
    return out
