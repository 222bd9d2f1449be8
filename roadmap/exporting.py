"""A user's progress as data, built once for both downloads, and CSV safety.

Two downloads carry a user's progress: the progress export (`/path/export.*`, the portable
form that `importing` reads back, format "ai-roadmap-progress/1") and "My data"
(`accounts/userdata.py`, everything the app holds). Each section is built here, once; the
portable form (`everything=False`) names skills for a reader and writes dates as text, the
full form (`everything=True`) adds what only the app records and keeps dates as dates (the
"My data" view encodes them). Their keys are pinned by tests: change them only with the
import (`roadmap/importing.py`) and the tests.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from .models import CertificationProgress, CheckAttempt, SkillProgress


def spreadsheet_safe(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(rows, name):
    """A CSV attachment of `rows` (the first is the header), every cell spreadsheet-safe,
    named `<name>-<today>.csv`, never kept by a cache: the one way the app sends a CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(spreadsheet_safe(value) for value in row)
    filename = f"{name}-{timezone.localdate().isoformat()}.csv"
    return HttpResponse(
        buffer.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(True, filename),
            "Cache-Control": "no-store",
        },
    )


def roles(user):
    """Where the user stands and where they are heading, as role slugs."""
    return {
        "current_role": user.current_role.slug if user.current_role else None,
        "target_role": user.target_role.slug if user.target_role else None,
    }


def skill_progress(user, *, everything=False):
    """One dict per skill the user has progress on: in path order (area, then name) with
    the skill's name and area for the export; in slug order with the credit and the last
    change for "My data"."""
    rows = SkillProgress.objects.filter(user=user)
    if everything:
        rows = rows.select_related("skill").order_by("skill__slug")
    else:
        rows = rows.select_related("skill__area").order_by("skill__area__position", "skill__name")
    return [_skill_row(p, everything) for p in rows]


def _skill_row(p, everything):
    row = {"skill": p.skill.slug}
    if not everything:
        row |= {"skill_name": p.skill.name, "area": p.skill.area.name}
    row |= {
        "status": p.status,
        "started_at": p.started_at if everything else _text(p.started_at, ""),
        "completed_at": p.completed_at if everything else _text(p.completed_at, ""),
        # When the skill's self-check was last passed. Informational: an import never
        # records a check (only passing one does).
        "checked_at": p.checked_at if everything else _text(p.checked_at, ""),
        "note": p.note,
        "evidence_url": p.evidence_url,
        "hours_estimate": p.hours_estimate,
    }
    if everything:
        row |= {"credited_from_current_role": bool(p.credited_from), "updated_at": p.updated_at}
    return row


def certification_plan(user, *, everything=False):
    """One dict per certification the user plans or holds, in slug order; "My data" adds
    when each last changed."""
    rows = (
        CertificationProgress.objects.filter(user=user)
        .select_related("certification")
        .order_by("certification__slug")
    )
    return [
        {
            "certification": p.certification.slug,
            "status": p.status,
            "earned_on": p.earned_on if everything else _text(p.earned_on, None),
            "credential_url": p.credential_url,
        }
        | ({"updated_at": p.updated_at} if everything else {})
        for p in rows
    ]


def self_checks(user):
    """Every self-check attempt of the user, for "My data"."""
    return [
        {
            "skill": a.skill.slug,
            "started_at": a.started_at,
            "finished_at": a.finished_at,
            "right_answers": a.correct_count,
            "questions": len(a.questions),
            "passed": a.passed,
        }
        for a in CheckAttempt.objects.filter(user=user).select_related("skill").order_by("pk")
    ]


def _text(moment, missing):
    return moment.isoformat() if moment else missing
