"""A skill's self-check: start an attempt, answer it (all at once, or with htmx one
question at a time), read the result. The rules are in roadmap/checks.py; the writes are
CheckAttempt's manager and methods (roadmap/models/checks.py).

The right answers and explanations are never in a page or fragment before the question is
answered: the options carry their shown position only, and the server scores.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required_htmx
from accounts.throttling import allow

from .. import checks
from ..models import CheckAttempt, CheckQuestion, Resource, Skill, SkillProgress
from ..web import bad_request

# Starts across all skills, per user and hour: beyond what any learner needs.
STARTS_PER_HOUR = 30


def _pool(skill):
    return list(CheckQuestion.objects.filter(skill=skill, is_active=True))


def _intro_context(request, skill, pool, message=""):
    user = request.user
    now = timezone.now()
    mine = CheckAttempt.objects.filter(user=user, skill=skill)
    open_attempt = mine.open(now).first()
    last = mine.first()
    passed_at = CheckAttempt.objects.latest_passes(user, [skill]).get(skill.pk)
    opens = checks.next_attempt_at(last.started_at if last else None)
    return {
        "skill": skill,
        "pool_size": len(pool),
        "has_check": len(pool) >= checks.MIN_POOL,
        "open_attempt": open_attempt,
        "last": last if last and last.finished else None,
        "passed_at": passed_at,
        "recheck_due": checks.recheck_due(passed_at, skill.fast_moving, now),
        "opens_at": opens if opens and opens > now else None,
        "rules": checks,
        "minutes": int(checks.ATTEMPT_TIME.total_seconds() // 60),
        "cool_off": int(checks.COOL_OFF.total_seconds() // 60),
        "message": message,
    }


@login_required_htmx
@require_http_methods(["GET", "POST"])
def check_skill(request, slug):
    """The self-check's page for a skill; a POST starts an attempt."""
    skill = get_object_or_404(Skill, slug=slug)
    pool = _pool(skill)
    if request.method == "GET":
        return render(request, "roadmap/check.html", _intro_context(request, skill, pool))
    if len(pool) < checks.MIN_POOL:
        return bad_request(request, f"{skill.name} has no self-check yet.")
    if not allow("check-start", request.user.pk, STARTS_PER_HOUR):
        ctx = _intro_context(request, skill, pool, "You started many self-checks this hour.")
        return render(request, "roadmap/check.html", ctx, status=429)
    attempt, opens = CheckAttempt.objects.start(request.user, skill, pool)
    if attempt is None:
        ctx = _intro_context(request, skill, pool)
        return render(request, "roadmap/check.html", ctx, status=429)
    if request.htmx:
        return _step(request, attempt)
    return redirect("roadmap:check_attempt", pk=attempt.pk)


def _questions(attempt, places, posted=None):
    """[(place, question, options as shown, what was posted)] for the attempt's questions
    at `places` that are still in the catalogue, in the order drawn."""
    by_pk = CheckQuestion.objects.in_bulk([item["id"] for item in attempt.questions])
    out = []
    for place, item in enumerate(attempt.questions):
        question = by_pk.get(item["id"])
        if question is None or place not in places:
            continue
        options = question.option_list
        shown = [(position, options[i]) for position, i in enumerate(item["order"])]
        kept = posted.getlist(f"answer-{place}")[:10] if posted is not None else []
        out.append((place, question, shown, kept))
    return out


def _own_attempt(request, pk, lock=False):
    rows = CheckAttempt.objects.select_related("skill")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return get_object_or_404(rows, pk=pk, user=request.user)


@login_required
@require_http_methods(["GET"])
def attempt_page(request, pk):
    """An attempt: its questions still to answer in one form, or, once done, the result."""
    attempt = _own_attempt(request, pk)
    if attempt.expired():
        with transaction.atomic():
            attempt = _own_attempt(request, pk, lock=True)
            if not attempt.finished:
                attempt.finish(expired=True)
    if attempt.finished:
        return _results(request, attempt)
    if request.htmx and request.GET.get("step"):
        return _step(request, attempt)
    ctx = {
        "attempt": attempt,
        "skill": attempt.skill,
        "questions": _questions(attempt, set(attempt.unanswered())),
        "total": len(attempt.questions),
        "minutes_left": _minutes_left(attempt),
    }
    return render(request, "roadmap/check.html", ctx)


def _minutes_left(attempt):
    seconds = (attempt.expires_at - timezone.now()).total_seconds()
    return max(1, int(seconds // 60))


def _step(request, attempt, feedback=None, status=200, errors=None):
    """One question as its own small form, with what the last answer was (htmx)."""
    left = attempt.unanswered()
    posted = request.POST if errors else None
    current = next(iter(_questions(attempt, set(left), posted)), None)
    ctx = {
        "attempt": attempt,
        "skill": attempt.skill,
        "current": current,
        "number": len(attempt.questions) - len(left) + 1,
        "total": len(attempt.questions),
        "feedback": feedback,
        "errors": errors or {},
        "minutes_left": _minutes_left(attempt),
    }
    return render(request, "roadmap/check.html#step", ctx, status=status)


def _read(request, attempt, places):
    """({place: given}, {place: problem}) for the answers posted for `places`."""
    items = dict(enumerate(attempt.questions))
    questions = CheckQuestion.objects.in_bulk([items[p]["id"] for p in places])
    given, errors = {}, {}
    for place in places:
        question = questions.get(items[place]["id"])
        if question is None:
            continue
        name = f"answer-{place}"
        if question.kind == CheckQuestion.Kind.NUMBER:
            raw = request.POST.get(name, "")
            value, problem = checks.parse_number(raw)
            if problem is None:
                given[str(place)] = raw.strip()[: checks.MAX_NUMBER_LENGTH]
        else:
            value, problem = checks.parse_choice(
                request.POST.getlist(name),
                len(items[place]["order"]),
                question.kind == CheckQuestion.Kind.SINGLE,
            )
            if problem is None:
                given[str(place)] = value
        if problem:
            errors[place] = problem
    return given, errors


def _places(request, attempt):
    """The places a form answers: every one still open, or (htmx) the one it names."""
    left = attempt.unanswered()
    if request.htmx:
        place = request.POST.get("place", "")
        if place.isdigit() and len(place) < 3 and int(place) in left:
            return [int(place)]
        return None
    return left


@login_required_htmx
@require_POST
def answer(request, pk):
    with transaction.atomic():
        attempt = _own_attempt(request, pk, lock=True)
        if attempt.finished:
            return _done(request, attempt)
        if attempt.expired():
            attempt.finish(expired=True)
            return _done(request, attempt, status=410)
        places = _places(request, attempt)
        if places is None:
            return bad_request(request, "That question was already answered: go on to the next.")
        given, errors = _read(request, attempt, places)
        if errors:
            if request.htmx:
                return _step(request, attempt, status=400, errors=errors)
            return _refused(request, attempt, errors)
        attempt.answers = {**attempt.answers, **given}
        attempt.save(update_fields=["answers"])
        if _questions(attempt, set(attempt.unanswered())):
            return _step(request, attempt, feedback=_feedback(attempt, places[0]))
        attempt.finish()
    return _done(request, attempt)


def _feedback(attempt, place):
    """The Result of the question just answered, to show with the next one (None when the
    question left the catalogue since it was drawn, so nothing was recorded for it)."""
    item = attempt.questions[place]
    if str(place) not in attempt.answers:
        return None
    questions = CheckQuestion.objects.in_bulk([item["id"]])
    results = checks.score([item], {"0": attempt.answers[str(place)]}, questions)
    return results[0] if results else None


def _refused(request, attempt, errors):
    ctx = {
        "attempt": attempt,
        "skill": attempt.skill,
        "questions": _questions(attempt, set(attempt.unanswered()), request.POST),
        "total": len(attempt.questions),
        "errors": errors,
        "minutes_left": _minutes_left(attempt),
    }
    return render(request, "roadmap/check.html", ctx, status=400)


def _done(request, attempt, status=200):
    if request.htmx:
        return _results(request, attempt, partial=True, status=status)
    if status != 200:
        return _results(request, attempt, status=status)
    return redirect("roadmap:check_attempt", pk=attempt.pk)


def _results(request, attempt, partial=False, status=200):
    questions = CheckQuestion.objects.in_bulk([item["id"] for item in attempt.questions])
    results = checks.score(attempt.questions, attempt.answers, questions)
    rows = []
    for result in results:
        order = attempt.questions[result.place]["order"]
        question = result.question
        options = question.option_list
        shown = [
            (options[i], i in question.correct_indexes, position in (result.given or ()))
            for position, i in enumerate(order)
        ]
        rows.append({"result": result, "question": question, "shown": shown})
    missed = {r["question"].source_url for r in rows if not r["result"].right}
    titles = dict(
        Resource.objects.filter(skill=attempt.skill, url__in=missed).values_list("url", "title")
    )
    progress = SkillProgress.objects.filter(user=request.user, skill=attempt.skill).first()
    opens = checks.next_attempt_at(attempt.started_at)
    ctx = {
        "attempt": attempt,
        "skill": attempt.skill,
        "rows": rows,
        "right": sum(1 for r in results if r.right),
        "asked": len(results),
        "read_again": sorted((titles.get(url, url), url) for url in missed),
        "opens_at": opens if opens > timezone.now() else None,
        "is_done": progress is not None and progress.status == SkillProgress.Status.DONE,
        "ran_out": attempt.finished_at >= attempt.expires_at and not attempt.passed,
        "pass_mark": checks.PASS_MARK,
        "per_attempt": checks.QUESTIONS_PER_ATTEMPT,
    }
    name = "roadmap/check.html#results" if partial else "roadmap/check.html"
    return render(request, name, {**ctx, "show_results": True}, status=status)
