"""The changelog: every change to a fact a page shows, recorded as it is saved.

Signals (connected in roadmap/signals.py) compare a row with the stored one before it is
saved and write one CatalogueChange per fact that differs, in the same transaction. The
same code runs for an admin's edit, for `load_catalogue` (origin "load") and for a fact
changed after a reader's correction. A change that touches someone's plan or path also
becomes a Notice for them (notify()).

The first load into an empty catalogue is the baseline, not a change: it records nothing.
"""

import contextlib
import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    CatalogueChange,
    CatalogueVersion,
    Certification,
    CertificationProgress,
    Claim,
    Notice,
    Role,
    RoleSkill,
    Skill,
    SkillProgress,
)
from .models.changes import VALUE_LENGTH

_origin = contextvars.ContextVar("change_origin", default=CatalogueChange.Origin.EDIT)
_silent = contextvars.ContextVar("changes_silent", default=False)


@contextlib.contextmanager
def recording(origin=None, silent=False):
    """Record changes made inside the block as coming from `origin`; none at all if silent."""
    tokens = []
    if origin is not None:
        tokens.append((_origin, _origin.set(origin)))
    if silent:
        tokens.append((_silent, _silent.set(True)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


# ---------------------------------------------------------------- what each page shows


def _date(value):
    return f"{value.day} {value:%b %Y}" if value else ""


def _text(value):
    return "" if value is None else str(value)


def _level(value):
    return Certification.Level(value).label if value in Certification.Level.values else value


@dataclass(frozen=True)
class Fact:
    """A field whose change is a change to what a page shows: the changelog records it
    under `label`, written by `show`. `flags` marks a field whose change also flags the
    subject to the people who marked the skill or planned the certification ("Updated
    since you marked it": content_changed_at); `tells_planners` one whose change is also a
    notice to everyone with the certification on their plan."""

    field: str
    label: str
    show: Callable = _text
    flags: bool = False
    tells_planners: bool = False


# What counts as a change: the one declaration the changelog, the content stamp and the
# admin's "name the source" check all read.
TRACKED = {
    Certification: [
        Fact("name", "Name", flags=True),
        Fact("provider", "Provider", flags=True),
        Fact("level", "Level", _level, flags=True),
        Fact("exam_code", "Exam code", flags=True),
        Fact("retires_on", "Retirement date", _date, flags=True, tells_planners=True),
        Fact("url", "Provider's page"),
        Fact("summary", "Summary"),
    ],
    Role: [
        Fact("title", "Title"),
        Fact("alternative_titles", "Other titles"),
        Fact("years_min", "Fewest years of experience"),
        Fact("years_max", "Most years of experience"),
        Fact("summary", "Summary"),
        Fact("responsibilities", "Responsibilities"),
    ],
    Skill: [
        Fact("name", "Name", flags=True),
        Fact("summary", "Summary", flags=True),
        Fact("why_it_matters", "Why it matters", flags=True),
        Fact("effort_hours_low", "Estimated hours, low end"),
        Fact("effort_hours_high", "Estimated hours, high end"),
    ],
}
SUBJECT_FIELD = {Certification: "certification", Role: "role", Skill: "skill"}

# A claim's fields: a change to any of them (or a claim added or deleted) flags its
# certification or skill, like a flagged field of its own.
CLAIM_FIELDS = (
    "attribute",
    "topic",
    "amount",
    "amount_high",
    "unit",
    "on_date",
    "text",
    "qualifier",
    "figure_kind",
    "region",
    "population",
    "occupation",
    "is_proxy",
    "data_year",
    "period",
    "country",
    "pay_period",
    "series",
    "source_id",
)

# Changes that people with the certification on their plan are told of: its fields marked
# tells_planners, its retirement coming into force (note_retirements) and these claims.
PLAN_FACTS = {
    *(fact.field for fact in TRACKED[Certification] if fact.tells_planners),
    "status",
    Claim.Attribute.COST,
    Claim.Attribute.EXAM_MINUTES,
    Claim.Attribute.RETIREMENT,
}


def flagged_fields(model):
    """The fields of `model` whose change flags it to the people who marked or planned it."""
    return [fact.field for fact in TRACKED.get(model, ()) if fact.flags]


def _cut(value):
    value = str(value)
    return value if len(value) <= VALUE_LENGTH else value[: VALUE_LENGTH - 1] + "…"


def record(
    subject,
    fact,
    label,
    old="",
    new="",
    source=None,
    kind=None,
    when=None,
    source_title="",
    source_url="",
    tell=True,
):
    """Write one change about `subject` (a certification, role or skill) and, unless
    `tell` is False, tell the people it touches. Returns the change, or None while
    recording is off. Without a catalogue source, `source_title` and `source_url` say where
    the value comes from."""
    if _silent.get():
        return None
    if kind is None:
        kind = CatalogueChange.Kind.CHANGED
    change = CatalogueChange.objects.create(
        changed_at=when or timezone.now(),
        kind=kind,
        origin=_origin.get(),
        subject_name=_cut(str(subject))[:200],
        fact=fact[:40],
        fact_label=label[:120],
        old_value=_cut(old),
        new_value=_cut(new),
        source=source,
        source_title=_cut(str(source) if source else source_title)[:330],
        source_url=(source.url if source else source_url)[:500],
        **{SUBJECT_FIELD[type(subject)]: subject},
    )
    # The changelog and its feed are cached under the catalogue version, like the pages.
    CatalogueVersion.bump()
    if tell:
        notify(change)
    return change


def _retirement_source(certification):
    """The certification's source for its retirement date, where one says it gives it."""
    for row in certification.certification_sources.select_related("source"):
        if "retire" in row.supports.lower():
            return row.source
    return None


# ---------------------------------------------------------------- signal handlers


def stored_row(sender, instance):
    """The row as stored before this save (None for a new one), read once per save: the
    changelog and the content stamp (roadmap/signals.py) both compare with it. Each
    post_save handler here forgets it."""
    if "_stored_row" not in instance.__dict__:
        row = None
        if instance.pk is not None:
            row = sender.objects.filter(pk=instance.pk).first()
        instance.__dict__["_stored_row"] = row
    return instance.__dict__["_stored_row"]


def _forget_stored_row(instance):
    return instance.__dict__.pop("_stored_row", None)


def before_save(sender, instance, **kwargs):
    if not _silent.get():
        stored_row(sender, instance)


def after_save(sender, instance, created, **kwargs):
    stored = _forget_stored_row(instance)
    if _silent.get():
        return
    if created or stored is None:
        record(
            instance,
            "added",
            "Added to the catalogue",
            new=str(instance),
            kind=CatalogueChange.Kind.ADDED,
        )
        return
    for fact in TRACKED[sender]:
        field = fact.field
        # As the database gives them back: a date set in code as "2027-01-31" is a date.
        to_python = sender._meta.get_field(field).to_python
        old, new = to_python(getattr(stored, field)), to_python(getattr(instance, field))
        if old != new:
            # The source the editor named for this save (admin's ChangeSourceForm), else
            # for a retirement date the source the certification cites for it.
            source = getattr(instance, "change_source", None)
            if source is None and field == "retires_on":
                source = _retirement_source(instance)
            reason = getattr(instance, "change_reason", "")
            record(
                instance,
                field,
                fact.label,
                fact.show(old),
                fact.show(new),
                source,
                source_title=reason,
            )


def claim_label(claim):
    """'Exam cost', 'Pay (median, United States, 2024)': which fact a claim states."""
    label = claim.get_attribute_display()
    details = [claim.topic] if claim.topic else []
    if claim.attribute == Claim.Attribute.SALARY:
        details += [
            claim.get_figure_kind_display().lower() if claim.figure_kind else "",
            claim.occupation,
            claim.region,
            claim.when_label,
        ]
    elif claim.region:
        details.append(claim.region)
    details = [d for d in details if d]
    return f"{label} ({', '.join(details)})" if details else label


def claim_value(claim):
    value = claim.figure_label if claim.figure_kind else claim.value_label
    return f"{value} {claim.qualifier}".strip()


def claim_before_save(sender, instance, **kwargs):
    if not _silent.get():
        stored_row(sender, instance)


def claim_after_save(sender, instance, created, **kwargs):
    stored = _forget_stored_row(instance)
    if _silent.get() or instance.subject is None:
        return
    new = claim_value(instance)
    if stored is None:
        record(
            instance.subject,
            instance.attribute,
            claim_label(instance),
            new=new,
            source=instance.source,
            kind=CatalogueChange.Kind.ADDED,
        )
        return
    old = claim_value(stored)
    if old != new or stored.source_id != instance.source_id:
        if stored.source_id != instance.source_id and old == new:
            old, new = f"{old} ({stored.source})", f"{new} ({instance.source})"
        record(
            instance.subject, instance.attribute, claim_label(instance), old, new, instance.source
        )


def _deleted_on_its_own(sender, origin):
    """Deleted by itself (or with others like it), not with the row it belongs to: a
    cascade from a deleted certification, role or skill records nothing."""
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return model is sender


def claim_deleted(sender, instance, origin=None, **kwargs):
    if _silent.get() or not _deleted_on_its_own(sender, origin):
        return
    subject = instance.subject
    if subject is None or subject.pk is None:
        return
    record(
        subject,
        instance.attribute,
        claim_label(instance),
        old=claim_value(instance),
        source=instance.source,
        kind=CatalogueChange.Kind.REMOVED,
    )


# A self-check question's fields. The changelog names which changed, never their values:
# it is public, and the right answer or the explanation would give the answer away.
QUESTION_FIELDS = {
    "kind": "kind",
    "prompt": "question",
    "options": "options",
    "correct": "right options",
    "answer": "right number",
    "tolerance": "tolerance",
    "explanation": "explanation",
    "source_url": "source",
    "is_active": "in use",
}


def question_before_save(sender, instance, **kwargs):
    if not _silent.get():
        stored_row(sender, instance)


def question_after_save(sender, instance, created, **kwargs):
    """One change on the question's skill per save; learners are not sent a notice."""
    stored = _forget_stored_row(instance)
    if _silent.get():
        return
    label = f"Self-check question {instance.key}"[:120]
    if stored is None:
        record(
            instance.skill,
            "self-check",
            label,
            new="Added",
            kind=CatalogueChange.Kind.ADDED,
            source_url=instance.source_url,
            tell=False,
        )
        return
    changed = [
        name
        for field, name in QUESTION_FIELDS.items()
        if getattr(stored, field) != getattr(instance, field)
    ]
    if changed:
        record(
            instance.skill,
            "self-check",
            label,
            new="Changed: " + ", ".join(changed),
            source_url=instance.source_url,
            tell=False,
        )


def question_deleted(sender, instance, origin=None, **kwargs):
    if _silent.get() or not _deleted_on_its_own(sender, origin):
        return
    try:
        skill = instance.skill
    except Skill.DoesNotExist:
        return
    record(
        skill,
        "self-check",
        f"Self-check question {instance.key}"[:120],
        old="In the pool",
        kind=CatalogueChange.Kind.REMOVED,
        tell=False,
    )


def role_skill_saved(sender, instance, created, **kwargs):
    if _silent.get():
        return
    value = f"{instance.skill} ({instance.get_importance_display()})"
    if created:
        record(
            instance.role, "skills", "Skills needed", new=value, kind=CatalogueChange.Kind.ADDED
        )


def role_skill_deleted(sender, instance, origin=None, **kwargs):
    if _silent.get() or not _deleted_on_its_own(sender, origin):
        return
    try:
        role, skill = instance.role, instance.skill
    except (Role.DoesNotExist, Skill.DoesNotExist):
        return
    record(
        role,
        "skills",
        "Skills needed",
        old=f"{skill} ({instance.get_importance_display()})",
        kind=CatalogueChange.Kind.REMOVED,
    )


def successors_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if _silent.get() or reverse or action not in ("post_add", "post_remove") or not pk_set:
        return
    names = ", ".join(
        Certification.objects.filter(pk__in=pk_set).order_by("name").values_list("name", flat=True)
    )
    if action == "post_add":
        record(instance, "successors", "Successor", new=names, kind=CatalogueChange.Kind.ADDED)
    else:
        record(instance, "successors", "Successor", old=names, kind=CatalogueChange.Kind.REMOVED)


# ------------------------------------------- "Updated since you marked it" (content stamp)


def stamp_content(sender, instance, raw=False, **kwargs):
    """Stamp content_changed_at when a flagged field differs from the stored row."""
    stored = stored_row(sender, instance)  # read once, shared with the changelog
    if stored is None:
        return
    if any(getattr(stored, f) != getattr(instance, f) for f in flagged_fields(sender)):
        instance.content_changed_at = timezone.now()
    else:
        # A form or a fixture that does not carry the stamp must not erase it.
        instance.content_changed_at = stored.content_changed_at


def _stamp_subject(claim):
    for model, pk in ((Certification, claim.certification_id), (Skill, claim.skill_id)):
        if pk is not None:
            model.objects.filter(pk=pk).update(content_changed_at=timezone.now())


def stamp_claim_subject(sender, instance, raw=False, **kwargs):
    """A claim added or changed is a change to what its subject's page says: the people who
    planned the certification or marked the skill see it flagged. Saving an unchanged claim
    (as every catalogue load does) stamps nothing."""
    stored = stored_row(sender, instance)  # read once, shared with the changelog
    if stored is None or any(getattr(stored, f) != getattr(instance, f) for f in CLAIM_FIELDS):
        _stamp_subject(instance)


def stamp_deleted_claim_subject(sender, instance, **kwargs):
    _stamp_subject(instance)


# ---------------------------------------------------------------- who hears of it


def users_planning(certification):
    return CertificationProgress.objects.filter(certification=certification).values_list(
        "user_id", flat=True
    )


def users_with_skill_on_path(skill):
    """Whoever marked the skill, or aims at a role that needs it (on the ladder: the lowest
    rung that adds it and every rung above)."""
    from accounts.models import User

    needing = RoleSkill.objects.filter(skill=skill)
    lowest = needing.filter(role__kind=Role.Kind.LADDER).aggregate(r=models.Min("role__rank"))["r"]
    roles = Q(target_role__in=needing.values("role"))
    if lowest is not None:
        roles |= Q(target_role__kind=Role.Kind.LADDER, target_role__rank__gte=lowest)
    marked = SkillProgress.objects.filter(skill=skill).values("user_id")
    return User.objects.filter(roles | Q(pk__in=marked)).values_list("pk", flat=True)


def notify(change):
    """A Notice for each person the change touches; at most one per person and change."""
    if change.certification_id and change.fact in PLAN_FACTS:
        users = users_planning(change.certification_id)
    elif change.skill_id:
        users = users_with_skill_on_path(change.skill)
    else:
        return
    Notice.objects.bulk_create(
        [Notice(user_id=pk, change=change) for pk in set(users)],
        ignore_conflicts=True,
        batch_size=1000,
    )


def note_retirements(today=None):
    """A change "Status: active → retired" for each certification whose retirement day
    has come, once each; the people planning it are told. Returns how many. The row lock
    keeps two overlapping runs from noting one retirement twice."""
    today = today or timezone.localdate()
    due = Certification.objects.filter(retires_on__lte=today).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            certification = Certification.objects.select_for_update().get(pk=pk)
            noted = CatalogueChange.objects.filter(
                certification=certification, fact="status", new_value="Retired"
            )
            if noted.exists() or certification.retires_on > today:
                continue
            when = timezone.make_aware(
                datetime.datetime.combine(certification.retires_on, datetime.time())
            )
            with recording(CatalogueChange.Origin.SCHEDULE):
                record(
                    certification,
                    "status",
                    "Status",
                    "Active",
                    "Retired",
                    _retirement_source(certification),
                    when=max(when, _epoch()),
                )
            count += 1
    return count


def _epoch():
    return datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
