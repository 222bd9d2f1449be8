"""The review queue: one admin page listing what needs a look, and the actions on it.

Sources checked too long ago, certifications retiring within 90 days, facts whose sources
disagree, and readers' corrections. Each action (a source checked today, a conflict
settled, a correction accepted or rejected) is recorded as a ReviewAction with who took it.
"""

import calendar
import datetime
import hashlib

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import changelog, facts
from .models import (
    CatalogueChange,
    Certification,
    CheckQuestion,
    Claim,
    Correction,
    ReviewAction,
    Source,
)

RECENT_ACTIONS = 20


def stale_cutoff(today=None):
    """Sources last checked before this day need a look (REVIEW_SOURCE_MONTHS, default 12)."""
    today = today or timezone.localdate()
    months = settings.REVIEW_SOURCE_MONTHS
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def conflict_id(fact):
    """A short, stable name for a conflict (what it is about) and for its values."""
    key = hashlib.sha256(repr(fact.claims[0].conflict_key).encode()).hexdigest()[:32]
    values = hashlib.sha256(repr(sorted(fact.values)).encode()).hexdigest()[:32]
    return key, values


def open_conflicts():
    """Facts whose sources disagree and that nobody has settled with these same values."""
    claims = Claim.objects.select_related("source", "certification", "role", "skill")
    settled = set(
        ReviewAction.objects.filter(kind=ReviewAction.Kind.CONFLICT_SETTLED).values_list(
            "conflict_key", "conflict_values"
        )
    )
    out = []
    for fact in facts.conflicts(claims):
        key, values = conflict_id(fact)
        if (key, values) not in settled:
            out.append({"fact": fact, "key": key, "subject": fact.claims[0].subject})
    return out


# Each section of the queue and the model whose permissions open it: who may view (or
# change) that model in admin sees the section; who may change it also gets its buttons.
SECTIONS = {
    "stale_sources": "source",
    "stale_questions": "checkquestion",
    "retiring": "certification",
    "conflicts": "claim",
    "corrections": "correction",
    "recent": "reviewaction",
}


def permitted(user):
    """{section: may act} for the sections this user may see (as admin's view permission:
    view or change on the model)."""
    out = {}
    for section, model in SECTIONS.items():
        may_change = user.has_perm(f"roadmap.change_{model}")
        if may_change or user.has_perm(f"roadmap.view_{model}"):
            out[section] = may_change
    return out


def queue(today=None, sections=SECTIONS):
    """What needs a look, for the sections named only (the others are not even read)."""
    today = today or timezone.localdate()
    builders = {
        "stale_sources": lambda: Source.objects.filter(
            checked_on__lt=stale_cutoff(today)
        ).order_by("checked_on", "title"),
        "stale_questions": lambda: (
            CheckQuestion.objects.filter(checked_on__lt=stale_cutoff(today))
            .select_related("skill")
            .order_by("checked_on", "key")
        ),
        "retiring": lambda: Certification.objects.with_status_code(
            Certification.Status.RETIRING, today
        ).order_by("retires_on"),
        "conflicts": open_conflicts,
        "corrections": lambda: (
            Correction.objects.filter(state=Correction.State.OPEN)
            .select_related("certification", "role", "skill")
            .order_by("created_at")
        ),
        "recent": lambda: ReviewAction.objects.select_related("by")[:RECENT_ACTIONS],
    }
    return {
        **{section: builders[section]() for section in sections},
        "months": settings.REVIEW_SOURCE_MONTHS,
    }


class DecisionForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False)


def _need(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_http_methods(["GET", "HEAD", "POST"])
def review_queue(request):
    """Wrapped by admin.site.admin_view in config/urls.py: staff only. Each section shows
    only to staff with a permission on its model; with none, the page is refused."""
    if request.method == "POST":
        return _act(request)
    sections = permitted(request.user)
    if not sections:
        raise PermissionDenied
    ctx = {
        **admin.site.each_context(request),
        **queue(sections=sections),
        "sections": sections,
        "title": "Review queue",
    }
    return TemplateResponse(request, "admin/review_queue.html", ctx)


def _act(request):
    action = request.POST.get("action", "")
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else None
    if note is None:
        messages.error(
            request, "The note was not accepted (at most 2,000 characters). Nothing was changed."
        )
        return redirect("review_queue")
    with transaction.atomic():
        if action == "source_checked":
            _need(request, "roadmap.change_source")
            source = get_object_or_404(Source.objects.select_for_update(), pk=_pk(request))
            source.checked_on = timezone.localdate()
            source.checked_by = request.user
            source.save(update_fields=["checked_on", "checked_by"])
            _log(request, ReviewAction.Kind.SOURCE_CHECKED, str(source), note)
            messages.success(request, f"{source}: checked today.")
        elif action == "question_checked":
            _need(request, "roadmap.change_checkquestion")
            questions = CheckQuestion.objects.select_for_update()
            question = get_object_or_404(questions, pk=_pk(request))
            question.checked_on = timezone.localdate()
            question.save(update_fields=["checked_on"])
            _log(request, ReviewAction.Kind.QUESTION_CHECKED, f"Self-check {question}", note)
            messages.success(request, f"Self-check question {question}: checked today.")
        elif action == "conflict_settled":
            _need(request, "roadmap.change_claim")
            if not note:
                messages.error(request, "Say why both values stay (the note is required).")
                return redirect("review_queue")
            key = request.POST.get("conflict", "")
            match = next((c for c in open_conflicts() if c["key"] == key), None)
            if match is None:
                messages.error(request, "That conflict is no longer open.")
                return redirect("review_queue")
            _, values = conflict_id(match["fact"])
            ReviewAction.objects.create(
                kind=ReviewAction.Kind.CONFLICT_SETTLED,
                by=request.user,
                subject=f"{match['subject']}: {match['fact'].label}"[:300],
                note=note,
                conflict_key=key,
                conflict_values=values,
            )
            messages.success(request, "Settled: both values stay on the page, as sourced.")
        elif action in ("correction_accepted", "correction_rejected"):
            _need(request, "roadmap.change_correction")
            correction = get_object_or_404(
                Correction.objects.select_for_update(), pk=_pk(request), state="open"
            )
            accepted = action == "correction_accepted"
            correction.state = Correction.State.ACCEPTED if accepted else Correction.State.REJECTED
            correction.reviewed_at = timezone.now()
            correction.reviewed_by = request.user
            correction.reply = note
            correction.save()
            if accepted and correction.subject is not None:
                with changelog.recording(CatalogueChange.Origin.CORRECTION):
                    changelog.record(
                        correction.subject,
                        "correction",
                        f"Correction: {correction.fact_label or 'a fact'}",
                        new=note or correction.what_is_wrong,
                        source_title="Source given by a reader",
                        source_url=correction.source_url,
                    )
            kind = (
                ReviewAction.Kind.CORRECTION_ACCEPTED
                if accepted
                else ReviewAction.Kind.CORRECTION_REJECTED
            )
            _log(request, kind, str(correction), note)
            messages.success(
                request,
                f"{correction}: {'accepted' if accepted else 'not accepted'}. The sender "
                "sees the decision" + (" and your note." if note else "."),
            )
        else:
            messages.error(request, "Choose an action.")
    return redirect("review_queue")


def _pk(request):
    value = request.POST.get("pk", "")
    return int(value) if value.isdigit() and len(value) < 12 else 0


def _log(request, kind, subject, note):
    ReviewAction.objects.create(kind=kind, by=request.user, subject=subject[:300], note=note)
