from django import template

from ..review import permitted

register = template.Library()


@register.filter
def may_review(user):
    """Whether the review queue has a section this staff user may see (roadmap.review)."""
    return bool(permitted(user))
