"""The user's own data: export and import of progress."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from .. import exporting, importing
from ..models import Skill

EXPORT_FIELDS = [
    "skill",
    "skill_name",
    "area",
    "status",
    "started_at",
    "completed_at",
    "checked_at",
    "note",
    "evidence_url",
    "hours_estimate",
]


@login_required
@require_safe
def export_progress(request, fmt):
    """The user's progress as CSV or JSON, in the form the import reads back."""
    user = request.user
    rows = exporting.skill_progress(user)
    stamp = timezone.localdate().isoformat()
    headers = {"Cache-Control": "no-store"}
    if fmt == "csv":
        table = [[row.get(field, "") for field in EXPORT_FIELDS] for row in rows]
        return exporting.csv_download([EXPORT_FIELDS, *table], "my-progress")
    headers["Content-Disposition"] = f'attachment; filename="my-progress-{stamp}.json"'
    body = json.dumps(
        {
            "format": "ai-roadmap-progress/1",
            "profile": exporting.roles(user) | {"hours_per_week": user.hours_per_week},
            "progress": rows,
            "certifications": exporting.certification_plan(user),
        },
        indent=2,
        ensure_ascii=False,
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8", headers=headers)


@login_required
@require_http_methods(["GET", "POST"])
def import_progress(request):
    """Import a progress export: a dry run that shows every change first, then one
    transaction that applies all of it; any bad entry stops the whole import."""
    text = ""
    upload = request.FILES.get("file")
    if upload is not None:
        error = None
        if upload.size > importing.MAX_BYTES:
            error = "The file is larger than 1 MB."
        else:
            text, error = importing.decode(upload.read())
        if error:
            ctx = {"errors": [error]}
            return render(request, "roadmap/import.html", ctx, status=400)
    else:
        text = request.POST.get("data", "")
    ctx = {"data": text}
    if request.method == "GET":
        return render(request, "roadmap/import.html", ctx)
    skills = {s.slug: s for s in Skill.objects.all()}
    found = importing.read(text, skills, user=request.user)
    if found.errors:
        ctx["errors"] = found.errors
        return render(request, "roadmap/import.html", ctx, status=400)
    if request.POST.get("action") == "apply":
        with transaction.atomic():
            count = importing.apply(request.user, found.entries)
            importing.apply_extras(request.user, found)
        messages.success(request, f"Imported {count} skill{'s' if count != 1 else ''}.")
        return redirect("roadmap:path")
    ctx["changes"] = importing.changes(request.user, found.entries)
    ctx["extra_changes"] = importing.extra_changes(request.user, found)
    changes_anything = ctx["extra_changes"] or any(c["changes"] for c in ctx["changes"])
    ctx["nothing_to_change"] = not changes_anything
    return render(request, "roadmap/import.html", ctx)
