"""My path: the page, ticks, notes and the certification plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import login_required_htmx
from accounts.forms import ProfileForm, TargetRoleForm

from .. import caching
from ..forms import CertificationPlanForm, SkillNoteForm
from ..models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    Notice,
    Skill,
    SkillProgress,
)
from ..path import parse_month
from ..pending import keep_the_click
from ..selectors import (
    Row,
    build_path,
    build_tick,
    catalogue_graph,
    credit_for_current_role,
    mark_of,
    marks_of,
    progress_over_time,
    role_you_context,
    skill_status_context,
)
from ..templatetags.plans import plan_form_context
from ..web import SLUG, bad_request, pay_region, swap_in_place


def path_cache_key(request, version, hide_done=False):
    """Changes with everything the cached path shows, and is unguessable per user.

    The CSRF secret is in it because the cached forms carry a token made from it: signing
    in again rotates the secret and so renders afresh.
    """
    csrf = request.META.get("CSRF_COOKIE", "")
    return caching.path_key(request.user, pay_region(request), csrf, hide_done, version=version)


@login_required
@require_safe
def my_path(request):
    user = request.user
    if user.target_role_id is None:
        ctx = {"profile_form": ProfileForm(instance=user)}
        return render(request, "roadmap/path.html", ctx)
    version = CatalogueVersion.current()
    get_token(request)  # make sure the CSRF secret exists before it goes into the key
    hide_done = request.GET.get("hide") == "done"

    def render_page():
        full = build_path(user, version, region=pay_region(request))
        full["hide_done"] = hide_done
        # Cached with the rest: a new change bumps the catalogue version, and reading the
        # changes bumps the user's progress_version (my_notices), so the count stays true.
        full["unseen_changes"] = unseen_notice_count(user)
        ctx = build_path_header(user, version)
        content = render_to_string("roadmap/_path_content.html", full, request=request)
        ctx["content"] = mark_safe(content)  # noqa: S308 - rendered by our own template
        return render_to_string("roadmap/path.html", ctx, request=request)

    if len(messages.get_messages(request)):
        # A message to show once (after a form sent without JavaScript): rendered, not kept.
        return HttpResponse(render_page())
    # The whole page is kept: everything it shows of the user is in the key (roles, pace,
    # progress_version, the CSRF secret its tokens come from), and the site's header and
    # footer are the same for every signed-in user.
    return HttpResponse(caching.remember(path_cache_key(request, version, hide_done), render_page))


@login_required
@require_safe
def progress_history(request):
    rows = SkillProgress.objects.filter(user=request.user).only("started_at", "completed_at")
    return render(request, "roadmap/history.html", progress_over_time(rows))


def unseen_notice_count(user):
    """Changes to the user's plan or path they have not looked at (one small query)."""
    return (
        Notice.objects.filter(user=user, seen_at__isnull=True)
        .filter(Q(change__isnull=False) | Q(renewal__isnull=False))
        .count()
    )


def build_path_header(user, version):
    graph = catalogue_graph(version)
    current = graph.roles.get(user.current_role_id)
    target = graph.roles.get(user.target_role_id)
    return {
        "current_role": current,
        "target_role": target,
        "keep_current": current is not None and current == target,
    }


def skill_or_404(slug, version):
    """The skill from the cached catalogue graph: no query beyond the version."""
    skill = catalogue_graph(version).skills.get(slug)
    if skill is None:
        raise Http404("No such skill")
    return skill


def apply_status(request, skill, status, version):
    """Set (never toggle) one skill's status, then answer as the request expects."""
    if status not in SkillProgress.Status.values:
        return bad_request(request, "Choose a status: not started, learning, done or skipped.")
    from_path = request.htmx and request.POST.get("return_to") != "skill"
    learned_in = None
    if status == SkillProgress.Status.DONE and request.POST.get("learned_in", "").strip():
        # The skill's own page sends the month it was learned (this month by default).
        learned_in, problem = parse_month(request.POST["learned_in"], timezone.localdate())
        if problem:
            return bad_request(request, problem)
    # The marks before the tick: what the answer compares with to send only what changed.
    previous = marks_of(request.user, version) if from_path else None
    progress = SkillProgress.objects.record_status(request.user, skill, status, learned_in)
    label = progress.get_status_display()
    if request.POST.get("return_to") == "skill":
        if not request.htmx:
            learned = f", learned in {progress.learned_in:%B %Y}" if progress.learned_in else ""
            messages.success(request, f"{skill.name}: {label}{learned}.")
            return redirect(f"{skill.get_absolute_url()}#my-status")
        ctx = skill_status_context(request.user, skill, progress, version)
        ctx["feedback"] = f"Saved: {label}."
        if progress.learned_in:
            ctx["feedback"] = f"Saved: {label}, learned in {progress.learned_in:%B %Y}."
        return render(request, "roadmap/_skill_status_form.html", ctx)
    if not request.htmx:
        return redirect(f"{reverse('roadmap:path')}#skill-{skill.slug}")
    # Whatever the tick changed comes back in the same response (row, counts, Up next, the
    # ladder, the certifications for what is left, each rung's pace), and only that: the
    # page after the swap is the page a reload would show.
    marks = {**previous, skill.slug: mark_of(progress)}
    ctx = build_tick(request.user, version, marks=marks, previous=previous)
    ctx["row"] = Row(skill, progress, ctx["needed_first"].get(skill.slug, ()))
    return render(request, "roadmap/_skill_changed.html", ctx)


@keep_the_click
@login_required_htmx
@require_POST
def set_skill_status(request, slug):
    version = CatalogueVersion.current()
    skill = skill_or_404(slug, version)
    return apply_status(request, skill, request.POST.get("status", ""), version)


@keep_the_click
@login_required_htmx
@require_POST
def set_path_status(request):
    """The path page's single form: the pressed button sends set=<skill slug>:<status>."""
    slug, _, status = request.POST.get("set", "").partition(":")
    if not SLUG.fullmatch(slug):
        return bad_request(request, "Choose a skill and a status with one of the buttons.")
    version = CatalogueVersion.current()
    return apply_status(request, skill_or_404(slug, version), status, version)


@login_required
@require_POST
def credit_current_role(request):
    """Mark done what the current role covers ("apply"), or put it all back ("undo")."""
    user = request.user
    action = request.POST.get("action")
    if action == "undo":
        undone = SkillProgress.objects.undo_credit(user)
        messages.success(
            request,
            f"Put back {undone} skill{'s' if undone != 1 else ''} as they were before.",
        )
        return redirect(f"{reverse('roadmap:path')}#credit")
    if action != "apply":
        return bad_request(request, "Choose to mark the skills done, or to undo that.")
    current, changed = credit_for_current_role(user)
    if current is None:
        return bad_request(request, "Say what your current role is first, in your profile.")
    n = len(changed)
    messages.success(
        request,
        f"Marked {n} skill{'s' if n != 1 else ''} done that {current.title} covers. "
        "You can undo this below.",
    )
    return redirect(f"{reverse('roadmap:path')}#credit")


@login_required_htmx
@require_POST
def set_target(request, slug):
    """ "Make this my target" on a role's page: the profile's target, by the profile's rules
    (TargetRoleForm). Without htmx, back to the role's page with a message; with htmx, the
    page's "you" fragment, saying what happened."""
    version = CatalogueVersion.current()
    role = catalogue_graph(version).roles_by_slug.get(slug)
    if role is None:
        raise Http404("No such role")
    form = TargetRoleForm({"target_role": role.pk}, instance=request.user)
    saved = form.is_valid()
    if saved:
        form.save()
        feedback = f"Your target is now {role.title}. Your progress is kept as it was."
    else:
        feedback = " ".join(form.errors["target_role"])
    if not request.htmx:
        if not saved:
            return bad_request(request, feedback)
        messages.success(request, feedback)
        return redirect(f"{role.get_absolute_url()}#you")
    ctx = {**role_you_context(request.user, role, version), "feedback": feedback}
    ctx["error"] = not saved
    return render(request, "roadmap/_you.html#role", ctx, status=200 if saved else 400)


@login_required
@require_http_methods(["GET", "POST"])
def skill_note(request, slug):
    skill = get_object_or_404(Skill, slug=slug)
    progress = SkillProgress.objects.filter(user=request.user, skill=skill).first()
    form = SkillNoteForm(
        request.POST or None, instance=progress or SkillProgress(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            progress = SkillProgress.objects.locked_for(request.user, skill)
            progress.note = form.cleaned_data["note"]
            progress.evidence_url = form.cleaned_data["evidence_url"]
            progress.hours_estimate = form.cleaned_data["hours_estimate"]
            progress.save()
        messages.success(request, f"Saved your note and estimate for {skill.name}.")
        return redirect(f"{reverse('roadmap:path')}#skill-{skill.slug}")
    status = 400 if form.errors else 200
    ctx = {"skill": skill, "progress": progress, "form": form}
    return render(request, "roadmap/skill_note.html", ctx, status=status)


PLAN_RETURNS = ("path", "certification", "list")


@login_required_htmx
@require_POST
def set_certification_status(request, slug):
    """Add, change or remove one certification on the user's plan, from any page that has
    its form. The answer goes back where the form was: the path's certifications section,
    the certification's page, or the list (each with a message beside the control)."""
    certification = get_object_or_404(
        Certification.objects.prefetch_related("successors"), slug=slug
    )
    return_to = request.POST.get("return_to")
    if return_to not in PLAN_RETURNS:
        return_to = "path"
    existing = CertificationProgress.objects.filter(
        user=request.user, certification=certification
    ).first()
    form = CertificationPlanForm(request.POST, certification=certification, existing=existing)
    if not form.is_valid():
        message = " ".join(form.errors.get("__all__", [])) or _errors(form)
        return _plan_refused(request, certification, existing, return_to, message)
    data = form.cleaned_data
    # Fields the form did not send keep what was saved before.
    earned_on = data["earned_on"] or (existing and existing.earned_on)
    credential_url = (
        data["credential_url"]
        if "credential_url" in request.POST
        else (existing.credential_url if existing else "")
    )
    exam_on = (
        data["exam_on"] if "exam_on" in request.POST else (existing.exam_on if existing else None)
    )
    plan = CertificationProgress.objects.set_plan(
        request.user, certification, data["status"], earned_on, credential_url, exam_on
    )
    if plan is None:
        text = f"{certification.name} is no longer on your plan."
    else:
        text = f"{certification.name}: {plan.get_status_display()}"
        if plan.earned_on:
            text += f" on {plan.earned_on:%-d %b %Y}"
        if plan.exam_on:
            text += f", exam on {plan.exam_on:%-d %b %Y}"
        text += "."
    feedback = {"slug": certification.slug, "text": text, "error": False, "removed": not plan}
    if request.htmx:
        return _plan_answer(request, certification, plan, return_to, feedback)
    messages.success(request, text)
    return redirect(_plan_return_url(certification, return_to))


def _plan_return_url(certification, return_to):
    if return_to == "certification":
        return f"{certification.get_absolute_url()}#my-plan"
    if return_to == "list":
        return f"{reverse('roadmap:certifications')}#cert-{certification.slug}"
    return f"{reverse('roadmap:path')}#certifications"


def _plan_answer(request, certification, plan, return_to, feedback, status=200):
    """The fragment an htmx plan form swaps in."""
    if return_to == "path" and request.user.target_role_id:
        ctx = build_path(request.user)
        ctx["feedback"] = feedback
        return render(request, "roadmap/_path_content.html#certifications", ctx, status=status)
    ctx = plan_form_context(certification, plan, return_to, feedback=feedback)
    return render(request, "roadmap/_plan_form.html", ctx, status=status)


def _plan_refused(request, certification, existing, return_to, message):
    """A 400 that keeps what was typed and says why, in the form that sent it."""
    feedback = {"slug": certification.slug, "text": message, "error": True}
    if not request.htmx:
        return bad_request(request, message)
    ctx = plan_form_context(
        certification, existing, return_to, data=request.POST, feedback=feedback
    )
    response = render(request, "roadmap/_plan_form.html", ctx, status=400)
    return swap_in_place(response, f"#plan-form-{certification.slug}")


def _errors(form):
    """Each field's errors after its label ("Date earned: ..."), never its code name."""
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(
            ": "
        )
        for name, errors in form.errors.items()
    )
