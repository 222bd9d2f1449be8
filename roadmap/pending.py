"""A status clicked after the session lapsed: kept in the (anonymous) session by the view
decorator `keep_the_click`, and set once the user signs in again (`apply_pending_status`,
called from the user_logged_in signal in roadmap/signals.py), never lost."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .models import Skill, SkillProgress
from .web import SLUG

PENDING_STATUS = "pending_status"


def keep_the_click(view):
    """A status sent after the session lapsed is kept in the (anonymous) session, and set
    once the user signs in again (apply_pending_status), never lost. The sign-in page then
    leads back to where the click was, not to this POST-only address."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or request.method != "POST":
            return view(request, *args, **kwargs)
        slug = kwargs.get("slug")
        status = request.POST.get("status", "")
        if slug is None:
            slug, _, status = request.POST.get("set", "").partition(":")
        if not (SLUG.fullmatch(slug) and status in SkillProgress.Status.values):
            return view(request, *args, **kwargs)
        request.session[PENDING_STATUS] = [slug, status]
        request.click_kept = True  # login_required_htmx: the click is not lost
        messages.info(
            request,
            "Your session had ended, so that change is not saved yet: sign in and it will be.",
        )
        if request.htmx:
            return view(request, *args, **kwargs)  # an HX-Redirect back to this page
        if request.POST.get("return_to") == "skill":
            back = reverse("roadmap:skill", args=[slug])
        else:
            back = f"{reverse('roadmap:path')}#skill-{slug}"
        return redirect_to_login(back)

    return wrapper


def apply_pending_status(request, user):
    """Set the status kept by keep_the_click, if any, and say so."""
    pending = request.session.pop(PENDING_STATUS, None)
    if not (isinstance(pending, list) and len(pending) == 2):
        return
    slug, status = pending
    skill = Skill.objects.filter(slug=slug).first()
    if skill is None or status not in SkillProgress.Status.values:
        return
    progress = SkillProgress.objects.record_status(user, skill, status)
    messages.success(
        request,
        f"Saved the change you made as your session ended: {skill.name}: "
        f"{progress.get_status_display()}.",
    )
