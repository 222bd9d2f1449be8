"""Importing a progress export (this instance's or another's): validate everything first,
then apply all of it in one transaction, or nothing."""

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from .models import SkillProgress, http_url

FORMAT = "ai-roadmap-progress/1"
MAX_NOTE = 5000


@dataclass
class Entry:
    number: int
    skill: object
    status: str
    note: str
    evidence_url: str
    started_at: object
    completed_at: object


def parse(text, skills_by_slug):
    """(entries, errors): errors name the entry (1-based) and what is wrong with it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]
    if isinstance(data, dict) and "progress" in data:
        rows = data["progress"]
    elif isinstance(data, dict) and "skills" in data:  # the "download my data" file
        rows = data["skills"]
    else:
        return [], [
            f"Not a progress export: expected an object with a 'progress' list ({FORMAT})."
        ]
    if not isinstance(rows, list):
        return [], ["'progress' must be a list of entries."]
    lines = entry_lines(text, len(rows))
    entries, errors, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        where = f"Entry {number} (line {lines[number - 1]})" if lines else f"Entry {number}"
        problems = []
        if not isinstance(row, dict):
            errors.append(f"{where}: not an object.")
            continue
        slug = row.get("skill")
        skill = skills_by_slug.get(slug) if isinstance(slug, str) else None
        if skill is None:
            problems.append(f"unknown skill {str(slug)[:80]!r}")
        elif slug in seen:
            problems.append(f"skill {slug!r} appears twice")
        status = row.get("status", "not_started")
        if status not in SkillProgress.Status.values:
            problems.append(f"unknown status {str(status)[:40]!r}")
        note = row.get("note", "") or ""
        if not isinstance(note, str) or len(note) > MAX_NOTE or "\x00" in note:
            problems.append(f"the note must be text of at most {MAX_NOTE} characters")
        evidence = row.get("evidence_url", "") or ""
        if evidence:
            try:
                if not isinstance(evidence, str) or len(evidence) > 500:
                    raise ValidationError("too long")
                http_url(evidence)
            except ValidationError:
                problems.append("the evidence link must be an http or https address")
        times = {}
        for field in ("started_at", "completed_at"):
            value = row.get(field) or ""
            parsed = parse_datetime(value) if isinstance(value, str) and value else None
            if value and parsed is None:
                problems.append(f"{field} is not a date and time")
            times[field] = parsed
        if problems:
            errors.append(f"{where}: " + "; ".join(problems) + ".")
            continue
        seen.add(slug)
        entries.append(Entry(number, skill, status, note, evidence, **times))
    if not entries and not errors:
        errors.append("The file holds no entries.")
    return entries, errors


def entry_lines(text, count):
    """The line on which each entry of the list starts, or [] if it cannot be told."""
    decoder = json.JSONDecoder()
    key = text.find('"progress"')
    if key < 0:
        key = text.find('"skills"')
    start = text.find("[", key) if key >= 0 else -1
    if start < 0:
        return []
    lines, pos = [], start + 1
    for _ in range(count):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return []
    return lines


def changes(user, entries):
    """What applying would change: (entry, current status or None, note changes?)."""
    current = {
        p.skill_id: p
        for p in SkillProgress.objects.filter(user=user, skill__in=[e.skill for e in entries])
    }
    out = []
    for entry in entries:
        before = current.get(entry.skill.pk)
        out.append(
            {
                "entry": entry,
                "before": before.status if before else None,
                "note_changes": (before.note if before else "") != entry.note
                or (before.evidence_url if before else "") != entry.evidence_url,
            }
        )
    return out


def apply(user, entries):
    """Write every entry, or none (the caller holds the transaction)."""
    for entry in entries:
        progress = SkillProgress.objects.locked_for(user, entry.skill)
        progress.status = entry.status
        progress.note = entry.note
        progress.evidence_url = entry.evidence_url
        progress.started_at = entry.started_at
        progress.completed_at = entry.completed_at if entry.status == "done" else None
        progress.save()
    return len(entries)
