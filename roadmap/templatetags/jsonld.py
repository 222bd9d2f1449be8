from django import template

from .. import jsonld

register = template.Library()


@register.simple_tag
def role_jsonld(role):
    return jsonld.script(jsonld.occupation(role, role.salary_claims))


@register.simple_tag
def certification_jsonld(certification):
    return jsonld.script(jsonld.credential(certification))
