"""{% plan_form %}: a certification's plan control, the same on every page that has one."""

from django import template

from ..views.path import plan_form_context

register = template.Library()


@register.inclusion_tag("roadmap/_plan_form.html", takes_context=True)
def plan_form(context, certification, plan, return_to):
    """The form for `certification`, showing `plan` (the user's CertificationProgress or None).

    A message left by the last save (context "feedback") shows in the form it is about.
    """
    ctx = plan_form_context(certification, plan, return_to, feedback=context.get("feedback"))
    ctx["csrf_token"] = context.get("csrf_token")
    return ctx
