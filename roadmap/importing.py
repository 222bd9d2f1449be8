"""Importing a progress export (this instance's or another's): validate everything first,
then apply all of it in one transaction, or nothing."""

import datetime
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .forms import SkillNoteForm
from .models import (
    TIMESTAMP_FLOOR,
    Certification,
    CertificationProgress,
    Role,
    SkillProgress,
)
from .models.catalogue import MAX_EFFORT_HOURS

FORMAT = "ai-roadmap-progress/1"
MAX_BYTES = 1_000_000
# An export holds one entry per skill; the catalogue has far fewer than this.
MAX_ENTRIES = 2000
MAX_ERRORS = 20
MAX_PLANS = 200


@dataclass
class Entry:
    number: int
    skill: object
    status: str
    note: str
    evidence_url: str
    started_at: object
    completed_at: object
    hours_estimate: int | None = None


def decode(raw):
    """The text of an uploaded file: UTF-8, with or without a byte order mark."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return "", f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read)."


def storable(text):
    """Whether a string can be saved: JSON's \\uXXXX escapes can carry half of a surrogate
    pair (\\ud800 alone), which is no character, so no UTF-8 database or page can hold it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable(where, row, errors):
    """Refuse a row (entry, profile or plan) with any text field that cannot be saved,
    naming the fields; True if refused. Checked before anything reads the row, so no field
    added later can slip by and fail on apply."""
    bad = [
        key if storable(key) else ascii(key)
        for key, value in row.items()
        if not storable(key) or (isinstance(value, str) and not storable(value))
    ]
    if bad:
        errors.append(
            f"{where}: {', '.join(bad)} holds an unpaired surrogate (an escape between "
            "\\ud800 and \\udfff that is not part of a pair), which is not a character and "
            "cannot be saved."
        )
    return bool(bad)


def _refuse_big_numbers(text):
    # Python refuses to convert integers of over 4,300 digits; nothing in an export is one.
    if len(text) > 30:
        raise ValueError("a number is too long")
    return int(text)


def load(text):
    """The parsed JSON, or an error message: never an exception, whatever the text."""
    if len(text) > MAX_BYTES:
        return None, "The file is larger than 1 MB."
    try:
        return json.loads(text, parse_int=_refuse_big_numbers), None
    except json.JSONDecodeError as exc:
        return None, f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
    except RecursionError:
        return None, "Not a progress export: the file is nested too deeply."
    except ValueError:
        return None, "Not a progress export: a number in the file is too long."


def parse(text, skills_by_slug, now=None):
    """(entries, errors) for the skills in a file; see read()."""
    found = read(text, skills_by_slug, now=now)
    return found.entries, found.errors


@dataclass
class ImportFile:
    entries: list = field(default_factory=list)
    profile: object = None  # a valid ProfileForm bound to a copy of the user, or None
    plans: list = field(default_factory=list)  # (certification, cleaned data, existing row)
    errors: list = field(default_factory=list)


def read(text, skills_by_slug, now=None, user=None):
    """What a file holds, validated: skill entries, and with a user, the roles, hours and
    certification plan an export carries. Errors name the entry (1-based) and what is
    wrong with it.

    Linear in the size of the text: the file is parsed once, entry lines are found in one
    more pass, and at most MAX_ENTRIES entries are looked at.
    """
    data, rows, error = _rows(text)
    if error:
        return ImportFile(errors=[error])
    lines = entry_lines(text, len(rows))
    bounds = timestamp_bounds(now)
    entries, errors, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        where = f"Entry {number} (line {lines[number - 1]})" if lines else f"Entry {number}"
        if not isinstance(row, dict):
            errors.append(f"{where}: not an object.")
            continue
        if unstorable(where, row, errors):
            continue
        entry, problems = _entry(number, row, skills_by_slug, seen, bounds)
        if problems:
            errors.append(f"{where}: " + "; ".join(problems) + ".")
            continue
        seen.add(row["skill"])
        entries.append(entry)
    found = ImportFile(entries=entries)
    if user is not None:
        found.profile = _profile(data.get("profile"), user, errors)
        found.plans = _plans(data.get("certifications"), user, errors)
    if len(errors) > MAX_ERRORS:
        more = len(errors) - MAX_ERRORS
        errors = [*errors[:MAX_ERRORS], f"… and {more:,} more entries with problems."]
    if not entries and not errors and found.profile is None and not found.plans:
        errors.append("The file holds no entries.")
    found.errors = errors
    return found


def _rows(text):
    """(data, the list of skill entries, None), or (None, None, why the file is refused):
    a progress export's "progress" or a "My data" file's "skills"."""
    if text.lstrip().startswith("skill,"):
        return (
            None,
            None,
            "This is the CSV export, made for spreadsheets: it cannot be imported. Import "
            "the JSON export instead (“Export your progress … JSON” on your profile).",
        )
    data, error = load(text)
    if error:
        return None, None, error
    if isinstance(data, dict) and "progress" in data:
        rows = data["progress"]
    elif isinstance(data, dict) and "skills" in data:  # the "download my data" file
        rows = data["skills"]
    else:
        return (
            None,
            None,
            f"Not a progress export: expected an object with a 'progress' list ({FORMAT}).",
        )
    if not isinstance(rows, list):
        return None, None, "'progress' must be a list of entries."
    if len(rows) > MAX_ENTRIES:
        return (
            None,
            None,
            f"The file holds {len(rows):,} entries; an import takes at most "
            f"{MAX_ENTRIES:,} (one per skill).",
        )
    return data, rows, None


def _entry(number, row, skills_by_slug, seen, bounds):
    """(Entry, []) for one valid row, or (None, what is wrong with it)."""
    problems = []
    slug = row.get("skill")
    skill = skills_by_slug.get(slug) if isinstance(slug, str) else None
    if skill is None:
        problems.append(f"unknown skill {str(slug)[:80]!r}")
    elif slug in seen:
        problems.append(f"skill {slug!r} appears twice")
    status = row.get("status", "not_started")
    if not isinstance(status, str) or status not in SkillProgress.Status.values:
        problems.append(f"unknown status {str(status)[:40]!r}")
    note = row.get("note", "") or ""
    if not isinstance(note, str) or breaks_note_rules("note", note):
        max_note = SkillNoteForm.base_fields["note"].max_length
        problems.append(f"the note must be text of at most {max_note} characters")
    evidence = row.get("evidence_url", "") or ""
    if evidence and (not isinstance(evidence, str) or breaks_note_rules("evidence_url", evidence)):
        problems.append("the evidence link must be an http or https address")
    hours = row.get("hours_estimate")
    if hours in ("", None):
        hours = None
    elif type(hours) is not int or breaks_note_rules("hours_estimate", hours):
        problems.append(f"the estimate must be a whole number of hours, 1 to {MAX_EFFORT_HOURS:,}")
    times = {}
    for name in ("started_at", "completed_at"):
        times[name], problem = parse_timestamp(row.get(name), *bounds)
        if problem:
            problems.append(f"{name} {problem}")
    if problems:
        return None, problems
    return Entry(number, skill, status, note, evidence, **times, hours_estimate=hours), []


def breaks_note_rules(name, value):
    """Whether a value breaks a rule of `SkillNoteForm` (the form a learner edits a note,
    link and estimate with) or of the model field under it.

    The validators run on the value as the file gives it, without the form's tidying
    (stripping spaces, adding https://): a file is refused for anything an export would
    not have written, rather than changed on the way in.
    """
    try:
        SkillNoteForm.base_fields[name].run_validators(value)
        SkillProgress._meta.get_field(name).run_validators(value)
    except ValidationError:
        return True
    return False


def _profile(section, user, errors):
    """The roles and hours a file carries, as a valid ProfileForm, or None."""
    if not isinstance(section, dict) or not section.get("target_role"):
        return None  # no profile, or none worth restoring (no target)
    if unstorable("Profile", section, errors):
        return None
    from accounts.forms import ProfileForm
    from accounts.models import User

    roles = {r.slug: r for r in Role.objects.all()}
    data = {}
    for key in ("current_role", "target_role"):
        slug = section.get(key)
        role = roles.get(slug) if isinstance(slug, str) else None
        if slug and role is None:
            errors.append(f"Profile: unknown role {str(slug)[:80]!r}.")
            return None
        data[key] = role.pk if role else ""
    hours = section.get("hours_per_week", user.hours_per_week)
    data["hours_per_week"] = "" if hours is None else str(hours)[:10]
    form = ProfileForm(data, instance=User.objects.get(pk=user.pk))
    if not form.is_valid():
        problems = [e for field_errors in form.errors.values() for e in field_errors]
        errors.append("Profile: " + " ".join(problems))
        return None
    return form


def _plans(rows, user, errors):
    """The certification plan a file carries: (certification, cleaned data, existing)."""
    if rows is None:
        return []
    if not isinstance(rows, list) or len(rows) > MAX_PLANS:
        errors.append(f"'certifications' must be a list of at most {MAX_PLANS} entries.")
        return []
    from .forms import CertificationPlanForm

    certifications = {c.slug: c for c in Certification.objects.prefetch_related("successors")}
    existing = {p.certification_id: p for p in CertificationProgress.objects.filter(user=user)}
    plans, seen = [], set()
    for number, row in enumerate(rows, start=1):
        where = f"Certification {number}"
        if isinstance(row, dict) and unstorable(where, row, errors):
            continue
        slug = row.get("certification") if isinstance(row, dict) else None
        certification = certifications.get(slug) if isinstance(slug, str) else None
        if certification is None:
            errors.append(f"{where}: unknown certification {str(slug)[:80]!r}.")
            continue
        if certification.pk in seen:
            errors.append(f"{where}: {certification.name} appears twice.")
            continue
        seen.add(certification.pk)
        fields = {
            key: "" if row.get(key) is None else str(row.get(key))[:600]
            for key in ("status", "earned_on", "credential_url")
        }
        before = existing.get(certification.pk)
        form = CertificationPlanForm(fields, certification=certification, existing=before)
        if not form.is_valid():
            problems = [e for field_errors in form.errors.values() for e in field_errors]
            errors.append(f"{where} ({certification.name}): " + " ".join(problems))
            continue
        plans.append((certification, form.cleaned_data, before))
    return plans


def parse_timestamp(value, earliest, latest):
    """(datetime or None, problem or None) for one imported date and time."""
    if value in (None, ""):
        return None, None
    if not isinstance(value, str) or len(value) > 40:
        return None, "is not a date and time"
    try:
        parsed = parse_datetime(value)
    except ValueError:  # well-formed but impossible: 30 February, month 13, offset +25:00
        return None, "is not a possible date and time"
    if parsed is None:
        return None, "is not a date and time"
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    try:
        in_utc = parsed.astimezone(datetime.UTC)
    except OverflowError:
        return None, f"must be between {earliest:%Y-%m-%d} and tomorrow"
    if not earliest <= in_utc <= latest:
        return None, f"must be between {earliest:%Y-%m-%d} and tomorrow"
    return in_utc, None


def timestamp_bounds(now=None):
    """The dates an import (or a form) may record: from TIMESTAMP_FLOOR to a day from now."""
    now = now or timezone.now()
    return TIMESTAMP_FLOOR, now + datetime.timedelta(days=1)


def entry_lines(text, count):
    """The line on which each entry of the list starts, or [] if it cannot be told.

    One pass: each entry is decoded once from where the last one ended, and the newlines
    are counted only between consecutive entries.
    """
    decoder = json.JSONDecoder(parse_int=_refuse_big_numbers)
    key = text.find('"progress"')
    if key < 0:
        key = text.find('"skills"')
    start = text.find("[", key) if key >= 0 else -1
    if start < 0:
        return []
    lines, pos, line, counted = [], start + 1, 1, 0
    for _ in range(count):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        line += text.count("\n", counted, pos)
        counted = pos
        lines.append(line)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return []
    return lines


def changes(user, entries):
    """What applying would change, entry by entry, in words: the status before (None when
    the skill has no row), the status after, and whether anything differs at all."""
    current = {
        p.skill_id: p
        for p in SkillProgress.objects.filter(user=user, skill__in=[e.skill for e in entries])
    }
    labels = dict(SkillProgress.Status.choices)
    out = []
    for entry in entries:
        before = current.get(entry.skill.pk)
        status_before = before.status if before else None
        note_changes = (
            (before.note if before else "") != entry.note
            or (before.evidence_url if before else "") != entry.evidence_url
            or (before.hours_estimate if before else None) != entry.hours_estimate
        )
        out.append(
            {
                "entry": entry,
                "before": labels.get(status_before),
                "after": labels[entry.status],
                "note_changes": note_changes,
                "changes": note_changes
                or (status_before or "not_started") != entry.status
                or _times(before) != _times_after(entry),
            }
        )
    return out


def extra_changes(user, found):
    """What the roles, hours and plan in a file would change, in words. `user` is the
    account as stored (the form was bound to a copy of it)."""
    out = []
    if found.profile is not None:
        form = found.profile
        for key, label in (
            ("current_role", "Where you are now"),
            ("target_role", "Where you want to go"),
            ("hours_per_week", "Hours a week"),
        ):
            before, after = getattr(user, key), form.cleaned_data[key]
            if before != after:
                out.append({"what": label, "before": before, "after": after})
    labels = dict(CertificationProgress.Status.choices)
    for certification, data, existing in found.plans:
        before = labels.get(existing.status) if existing else None
        after = labels.get(data["status"], "Removed from the plan")
        if before != after or (
            existing
            and data["status"] == CertificationProgress.Status.EARNED
            and (existing.earned_on, existing.credential_url)
            != (data["earned_on"] or existing.earned_on, data["credential_url"])
        ):
            out.append({"what": certification.name, "before": before, "after": after})
    return out


def apply_extras(user, found):
    """Write the roles, hours and plan (the caller holds the transaction)."""
    if found.profile is not None:
        found.profile.save()
    for certification, data, existing in found.plans:
        earned_on = data["earned_on"] or (existing and existing.earned_on)
        CertificationProgress.objects.set_plan(
            user, certification, data["status"], earned_on, data["credential_url"]
        )


def _times(progress):
    return (progress.started_at, progress.completed_at) if progress else (None, None)


def _times_after(entry):
    """The times apply() writes for an entry."""
    return (entry.started_at, entry.completed_at if entry.status == "done" else None)


def apply(user, entries):
    """Write every entry, or none (the caller holds the transaction)."""
    for entry in entries:
        progress = SkillProgress.objects.locked_for(user, entry.skill)
        progress.status = entry.status
        progress.note = entry.note
        progress.evidence_url = entry.evidence_url
        progress.hours_estimate = entry.hours_estimate
        progress.started_at, progress.completed_at = _times_after(entry)
        progress.save()
    return len(entries)
