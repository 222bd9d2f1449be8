"""{{ certifications|compare_url }}: the address of their comparison, side by side."""

from django import template

from .. import comparing

register = template.Library()


@register.filter
def compare_url(items):
    """The comparison of these certifications (or of the first item of each tuple, as in
    My path's lists), the first five of them."""
    slugs = [(item[0] if isinstance(item, tuple) else item).slug for item in items]
    return comparing.compare_url(slugs[: comparing.MOST])
