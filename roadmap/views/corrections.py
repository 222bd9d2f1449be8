"""Corrections from readers, with or without an account. Each certification's, role's and
skill's page lists its open and accepted ones (roadmap/views/catalogue.py, never the
sender); editors decide in the review queue (roadmap/review.py); a signed-in sender also
sees each one's state under "Your corrections"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.throttling import allow, too_many
from config.client_ip import client_ip

from .. import facts
from ..forms import CorrectionForm
from ..models import Certification, Claim, Correction, Role, Skill

SUBJECTS = {"certification": Certification, "role": Role, "skill": Skill}
# Facts a page shows besides its claims, by kind of subject.
PAGE_FACTS = {
    "certification": ["Retirement date", "Successor", "Name, provider or exam code"],
    "role": ["Pay", "Years of experience", "Skills needed", "Responsibilities"],
    "skill": ["Summary", "Why it matters", "Estimated hours", "Resources"],
}
# Per user, or per client address for readers without an account: a few an hour, a bound a
# day; and all readers without an account together, a bound a day (what spam can add to
# the pages and the queue before an editor looks).
HOURLY_LIMIT = 5
DAILY_LIMIT = 20
ANONYMOUS_DAILY_LIMIT = 200


def _subject(request):
    """(kind, subject) named by the query string, e.g. ?certification=<slug>; 404 if none."""
    for kind, model in SUBJECTS.items():
        slug = request.GET.get(kind)
        if slug:
            subject = model.objects.filter(slug=slug[:80]).first()
            if subject is None:
                raise Http404(f"There is no {kind} '{slug[:80]}' in the catalogue.")
            return kind, subject
    raise Http404("Say which certification, role or skill the correction is about.")


def _fact_labels(kind, subject):
    claims = Claim.objects.filter(**{kind: subject}).select_related("source")
    labels = [
        f"{fact.label}{f': {fact.topic}' if fact.topic else ''}"
        for fact in (
            facts.certification_facts(subject, claims)
            if kind == "certification"
            else facts.group(claims)
        )
    ]
    return labels + PAGE_FACTS[kind]


@require_http_methods(["GET", "HEAD", "POST"])
def correction_new(request):
    kind, subject = _subject(request)
    labels = _fact_labels(kind, subject)
    if request.method == "POST":
        form = CorrectionForm(request.POST, facts=labels)
        if form.is_valid():
            if not _allowed(request):
                return too_many(
                    request,
                    "Many corrections were sent from here in a short time. Thank you: please "
                    "wait an hour before sending more. What you typed was not saved.",
                )
            if not form.is_robot:
                data = form.cleaned_data
                Correction.objects.create(
                    user=request.user if request.user.is_authenticated else None,
                    subject_name=str(subject)[:200],
                    fact_label=data["fact"][:120],
                    what_is_wrong=data["what_is_wrong"],
                    source_url=data["source_url"],
                    contact=data["contact"],
                    **{kind: subject},
                )
            messages.success(
                request,
                f"Thank you. Your correction to {subject} is listed on its page as waiting "
                "for review, with your source; an editor checks it against the source.",
            )
            if request.user.is_authenticated:
                return redirect("roadmap:corrections")
            return redirect(subject.get_absolute_url() + "#corrections")
        status = 400
    else:
        fact = request.GET.get("fact", "")
        form = CorrectionForm(initial={"fact": fact if fact in labels else None}, facts=labels)
        status = 200
    ctx = {"form": form, "subject": subject, "kind": kind}
    return render(request, "roadmap/correction_form.html", ctx, status=status)


def _allowed(request):
    """Count one correction against its sender: the user, or for a reader without an
    account their address and every such reader together. False once over a limit."""
    signed_in = request.user.is_authenticated
    who = request.user.pk if signed_in else f"address:{client_ip(request)}"
    return (
        allow("correction-hour", who, HOURLY_LIMIT, 3600)
        and allow("correction-day", who, DAILY_LIMIT, 86400)
        and (signed_in or allow("correction-anonymous", "all", ANONYMOUS_DAILY_LIMIT, 86400))
    )


@login_required
@require_safe
def my_corrections(request):
    corrections = Correction.objects.filter(user=request.user)
    return render(request, "roadmap/corrections.html", {"corrections": corrections})
