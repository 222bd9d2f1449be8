"""schema.org data for search engines and other readers, in JSON-LD.

Role pages describe an `Occupation`; its `estimatedSalary` lists the role's own sourced pay
figures (never a proxy occupation's), each with its source in words. Certification pages
describe an `EducationalOccupationalCredential`. Nothing here is a figure the page does not
show: a property no source gives is left out, not guessed (Google's salary rich result
also wants the 10th and 90th percentiles, which no source gives, so we do not claim it).
"""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from .models import Certification, Claim

CONTEXT = "https://schema.org"
# As Django's json_script: nothing in the data can close the script element.
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
CREDENTIAL_CATEGORY = {
    Certification.Level.PROGRAMME: "certificate",
}


def _amount(value):
    return float(value) if value is not None else None


def _where(claim):
    parts = [claim.get_figure_kind_display().lower()]
    if claim.population:
        parts.append(claim.population)
    if claim.when_label:
        parts.append(claim.when_label)
    parts.append(f"source: {claim.source.title} ({claim.source.publisher})")
    return "; ".join(parts)


# What one amount of pay covers, as ISO 8601 durations (an hourly wage is never made annual).
DURATIONS = {"year": "P1Y", "month": "P1M", "week": "P1W", "hour": "PT1H"}


def salary(claim):
    """One sourced pay figure as schema.org: a distribution for a median or percentiles,
    a plain amount (with its bounds) otherwise."""
    duration = DURATIONS.get(claim.pay_period, "P1Y")
    base = {"currency": claim.unit, "duration": duration, "description": _where(claim)}
    kind = claim.figure_kind
    if kind == Claim.FigureKind.MEDIAN:
        return {
            "@type": "MonetaryAmountDistribution",
            "name": "base",
            **base,
            "median": _amount(claim.amount),
        }
    if kind == Claim.FigureKind.PERCENTILES:
        return {
            "@type": "MonetaryAmountDistribution",
            "name": "base",
            **base,
            "percentile25": _amount(claim.amount),
            "percentile75": _amount(claim.amount_high),
        }
    value = {"@type": "QuantitativeValue", "unitText": claim.pay_period.upper() or "YEAR"}
    if kind == Claim.FigureKind.MEAN:
        value["value"] = _amount(claim.amount)
    else:
        value["minValue"] = _amount(claim.amount)
        if claim.amount_high is not None:
            value["maxValue"] = _amount(claim.amount_high)
    return {"@type": "MonetaryAmount", **base, "value": value}


def occupation(role, salary_claims):
    data = {
        "@context": CONTEXT,
        "@type": "Occupation",
        "name": role.title,
        "description": role.summary,
        "url": settings.SITE_URL + role.get_absolute_url(),
    }
    if role.alternative_title_list:
        data["alternateName"] = role.alternative_title_list
    if role.responsibility_list:
        data["responsibilities"] = role.responsibility_list
    own = [c for c in salary_claims if not c.is_proxy and c.unit and c.amount is not None]
    if own:
        data["estimatedSalary"] = [salary(c) for c in own]
        regions = sorted({c.region for c in own if c.region})
        data["occupationLocation"] = [{"@type": "AdministrativeArea", "name": r} for r in regions]
    return data


def credential(certification):
    data = {
        "@context": CONTEXT,
        "@type": "EducationalOccupationalCredential",
        "name": certification.name,
        "credentialCategory": CREDENTIAL_CATEGORY.get(certification.level, "certification"),
        "educationalLevel": certification.get_level_display(),
        "recognizedBy": {"@type": "Organization", "name": certification.provider},
        "url": settings.SITE_URL + certification.get_absolute_url(),
    }
    if certification.summary:
        data["description"] = certification.summary
    if certification.url:
        data["sameAs"] = certification.url
    if certification.exam_code:
        data["identifier"] = certification.exam_code
    return data


def script(data):
    """A <script type="application/ld+json"> block, escaped as Django's json_script does."""
    text = json.dumps(data, ensure_ascii=False).translate(ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
