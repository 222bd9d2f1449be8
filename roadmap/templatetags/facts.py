from django import template
from django.db import models

from .. import facts

register = template.Library()


@register.filter
def span(low, high):
    """'24–30', or '24' when both ends are the same: a range never reads '24–24'."""
    if high is None or high == low:
        return f"{low}"
    return f"{low}–{high}"


@register.filter
def fact_groups(claims):
    """Claims (a list or a related manager) grouped into facts, official first."""
    # A manager is asked for its (prefetched) rows; a queryset or list is read as it is, so
    # that a prefetch cache is used and no query is made.
    return facts.group(claims.all() if isinstance(claims, models.Manager) else claims)


@register.filter
def certification_facts(certification):
    return facts.certification_facts(certification, certification.claims.all())
