"""{% plan_form %}: a certification's plan control, the same on every page that has one."""

from django import template
from django.utils import timezone

from ..models import CertificationProgress
from ..models.progress import EXAM_HORIZON_YEARS

register = template.Library()


@register.inclusion_tag("roadmap/_plan_form.html", takes_context=True)
def plan_form(context, certification, plan, return_to):
    """The form for `certification`, showing `plan` (the user's CertificationProgress or None).

    A message left by the last save (context "feedback") shows in the form it is about.
    """
    ctx = plan_form_context(certification, plan, return_to, feedback=context.get("feedback"))
    ctx["csrf_token"] = context.get("csrf_token")
    return ctx


def plan_form_context(certification, plan, return_to, *, data=None, feedback=None):
    """What _plan_form.html shows: the saved plan, or what was sent when it was refused."""
    if data is not None:
        values = {
            "status": data.get("status", ""),
            "earned_on": data.get("earned_on", ""),
            "credential_url": data.get("credential_url", ""),
            "exam_on": data.get("exam_on", ""),
        }
    else:
        # A retired certification can only be recorded as earned: nothing else is offered.
        fresh = (
            CertificationProgress.Status.EARNED
            if certification.is_retired
            else CertificationProgress.Status.PLANNED
        )
        values = {
            "status": plan.status if plan else fresh,
            "earned_on": plan.earned_on.isoformat() if plan and plan.earned_on else "",
            "credential_url": plan.credential_url if plan else "",
            "exam_on": plan.exam_on.isoformat() if plan and plan.exam_on else "",
        }
    today = timezone.localdate()
    values["today"] = today.isoformat()
    values["exam_latest"] = today.replace(
        year=today.year + EXAM_HORIZON_YEARS, day=min(today.day, 28)
    ).isoformat()
    return {
        "certification": certification,
        "plan": plan,
        "return_to": return_to,
        # The date earned and credential link: on the certification's page and for what is
        # already on the plan; the list and the path's suggestions stay one line.
        "detailed": return_to == "certification" or (plan is not None and return_to == "path"),
        "values": values,
        "feedback": feedback,
        "plan_statuses": CertificationProgress.Status.choices,
    }


@register.filter
def renewal_state(renewal, today):
    """'expired', 'open', 'upcoming' or 'unknown': a Renewal on `today`."""
    return renewal.state(today)
