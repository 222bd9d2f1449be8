"""Claims grouped into facts for display: the claims about one thing, official first, and
whether their sources disagree. Pure functions over claims already loaded."""

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
    def conflict(self):
        return len(self.values) > 1

    @property
    def disagreement(self):
        """'Sources disagree: 130 minutes or 170 minutes'."""
        return "Sources disagree: " + " or ".join(self.values)


def _tier(claim):
    return TIER_ORDER.get(claim.source.kind, len(TIER_ORDER))


def group(claims):
    """Facts from claims: one per conflict key, claims official first, facts in the order
    of the attributes."""
    facts = {}
    for claim in claims:
        fact = facts.get(claim.conflict_key)
        if fact is None:
            fact = facts[claim.conflict_key] = Fact(
                claim.attribute, claim.get_attribute_display(), claim.topic, claim.region
            )
        fact.claims.append(claim)
    for fact in facts.values():
        fact.claims.sort(key=_tier)
    return sorted(
        facts.values(), key=lambda f: (ATTRIBUTE_ORDER.get(f.attribute, 99), f.topic, f.region)
    )


def certification_facts(certification, claims):
    """The standard facts of a certification (empty where no source gives one), then any
    others its claims state (launch, beta, retirement)."""
    facts = group(claims)
    present = {f.attribute for f in facts}
    if not certification.is_category:
        for attribute in CERTIFICATION_FACTS:
            if attribute not in present:
                facts.append(Fact(attribute, Claim.Attribute(attribute).label))
    return sorted(facts, key=lambda f: (ATTRIBUTE_ORDER.get(f.attribute, 99), f.topic, f.region))


def conflicts(claims):
    """Facts whose non-LOW sources disagree (LOW claims are never stored)."""
    return [fact for fact in group(claims) if fact.conflict]
