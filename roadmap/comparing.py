"""Certifications side by side (/certifications/compare/?c=one&c=two): for each, the same
rows (provider, level, the sourced facts of its page, status and retirement, the skills it
covers and, for a signed-in learner, how many of their remaining skills), each figure with
its source and trust tier as the certification's own page shows it.

One query for the claims of the certifications compared; the certifications, their skills
and successors come from the per-process catalogue graph (roadmap/selectors.py).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from . import facts
from .models import Claim

FEWEST, MOST = 2, 5  # how many certifications a comparison holds


@dataclass
class Column:
    certification: object  # Certification, from the catalogue graph (with successors)
    rows: list  # (label, [Fact]) for each fact of facts.CERTIFICATION_FACTS, in order
    lifecycle: list  # Fact: what sources say of its retirement
    skills: list  # Skill: every skill it covers, in catalogue order
    yours: list | None  # Skill: the visitor's remaining skills it covers (None: unknown)
    without_url: str  # the comparison without this column
    successor_url: str = ""  # the comparison with its successor added (retired ones)
    successor: object = None


def compare_url(slugs):
    """The comparison's shareable address: /certifications/compare/?c=one&c=two."""
    url = reverse("roadmap:compare")
    return f"{url}?{urlencode({'c': list(slugs)}, doseq=True)}" if slugs else url


def columns(certifications, graph, remaining=None):
    """A Column for each certification, in the order given. `remaining`: the slugs of the
    visitor's remaining skills (roadmap.selectors.remaining_skills), or None."""
    claims = {}
    for claim in Claim.objects.filter(certification__in=[c.pk for c in certifications]).shown():
        claims.setdefault(claim.certification_id, []).append(claim)
    covers = {c.slug: skills for c, skills, _ in graph.cert_infos}
    slugs = [c.slug for c in certifications]
    out = []
    for certification in certifications:
        grouped = facts.certification_facts(certification, claims.get(certification.pk, []))
        covered = covers.get(certification.slug, frozenset())
        column = Column(
            certification,
            [
                (Claim.Attribute(a).label, [f for f in grouped if f.attribute == a])
                for a in facts.CERTIFICATION_FACTS
            ],
            [f for f in grouped if f.attribute == Claim.Attribute.RETIREMENT],
            [s for s in graph.skills.values() if s.slug in covered],
            None if remaining is None else [graph.skills[s] for s in remaining if s in covered],
            compare_url(s for s in slugs if s != certification.slug),
        )
        if certification.is_retired and len(slugs) < MOST:
            successor = next(
                (s for s in certification.successors.all() if s.slug not in slugs), None
            )
            if successor is not None:
                column.successor = successor
                column.successor_url = compare_url([*slugs, successor.slug])
        out.append(column)
    return out
