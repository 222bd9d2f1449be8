"""Catalogue logic that is not a view: prerequisite cycles, loading fixtures, checking the data."""

import hashlib
import json
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import changelog, facts
from .checks import MIN_POOL
from .models import (
    CatalogueChange,
    CatalogueLoad,
    Certification,
    CheckQuestion,
    Claim,
    Resource,
    Role,
    Skill,
    Source,
)


class CatalogueError(Exception):
    """A fixture or the catalogue in the database is broken; the message says where."""


# --------------------------------------------------------------------------- cycles


def prerequisite_path(edges, start, goal):
    """The chain of prerequisites leading from `start` to `goal`, or None.

    `edges` maps a skill to the skills it requires.
    """
    parents = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = []
            while node is not None:
                path.append(node)
                node = parents[node]
            return path[::-1]
        for nxt in edges.get(node, ()):
            if nxt not in parents:
                parents[nxt] = node
                queue.append(nxt)
    return None


def find_cycles(edges):
    """Prerequisite cycles in the graph, each as a closed list of nodes (a → b → a)."""
    cycles, seen = [], set()
    for node in sorted(edges):
        if node in seen:
            continue
        for child in sorted(edges[node]):
            path = prerequisite_path(edges, child, node)
            if path:
                cycles.append([node, *path])
                seen.update(path)
                break
    return cycles


def prerequisite_edges():
    """{skill slug: {prerequisite slugs}} for the whole catalogue, in one query."""
    edges = {slug: set() for slug in Skill.objects.values_list("slug", flat=True)}
    through = Skill.prerequisites.through.objects.values_list("from_skill__slug", "to_skill__slug")
    for skill, prerequisite in through:
        edges[skill].add(prerequisite)
    return edges


def cycle_created_by(skill, prerequisites):
    """The cycle that giving `skill` these prerequisites would create, as a list of names."""
    if skill.pk is None:
        return None
    edges = prerequisite_edges()
    edges[skill.slug] = {p.slug for p in prerequisites}
    for prerequisite in sorted(edges[skill.slug]):
        path = prerequisite_path(edges, prerequisite, skill.slug)
        if path:
            return [skill.slug, *path]
    return None


# --------------------------------------------------------------------------- loading


def fixture_paths():
    paths = []
    for folder in settings.FIXTURE_DIRS:
        paths.extend(sorted(Path(folder).glob("*.json")))
    return paths


def row_digest(instance):
    """A hash of the row as stored: its fields and relations by natural key."""
    data = serializers.serialize(
        "python", [instance], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )[0]["fields"]
    for name, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], list | tuple):
            data[name] = sorted(list(v) for v in value)
    blob = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def row_key(instance):
    return json.dumps(list(instance.natural_key()))


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)
    kept: list = field(default_factory=list)

    def add(self, action, instance):
        self.counts[(action, instance._meta.verbose_name_plural)] += 1
        if action == "kept":
            self.kept.append(f"{instance._meta.label_lower} {row_key(instance)} ({instance})")

    def total(self, action):
        return sum(n for (a, _), n in self.counts.items() if a == action)

    def lines(self):
        out = []
        for action in ("added", "updated", "kept", "unchanged"):
            parts = [f"{n} {name}" for (a, name), n in sorted(self.counts.items()) if a == action]
            out.append(
                f"{action.capitalize()}: {self.total(action)}"
                + (f" ({', '.join(parts)})" if parts else "")
            )
        if self.kept:
            out.append("Kept because an admin edited them since they were loaded:")
            out.extend(f"  {line}" for line in self.kept)
        return out


def load_catalogue(paths=None, *, overwrite=False):
    """Load the fixtures in one transaction; keep rows edited since they were loaded."""
    paths = fixture_paths() if paths is None else [Path(p) for p in paths]
    if not paths:
        raise CatalogueError("No fixture files found in FIXTURE_DIRS.")
    report = LoadReport()
    try:
        with transaction.atomic():
            # The first load into an empty catalogue is the baseline, not a change.
            baseline = not Certification.objects.exists()
            with changelog.recording(CatalogueChange.Origin.LOAD, silent=baseline):
                saved = _save_all(paths, overwrite, report)
            for obj, _, where in saved:
                if obj.deferred_fields:
                    try:
                        with changelog.recording(CatalogueChange.Origin.LOAD, silent=baseline):
                            obj.save_deferred_fields()
                    except (ObjectDoesNotExist, DeserializationError) as exc:
                        raise CatalogueError(
                            f"{where}: a reference cannot be resolved ({exc})"
                        ) from exc
            for obj, before, _ in saved:
                instance = type(obj.object).objects.get(pk=obj.object.pk)
                after = row_digest(instance)
                action = (
                    "added" if before is None else "unchanged" if before == after else "updated"
                )
                report.add(action, instance)
                CatalogueLoad.objects.update_or_create(
                    model=instance._meta.label_lower,
                    key=row_key(instance),
                    defaults={"digest": after},
                )
            cycles = find_cycles(prerequisite_edges())
            if cycles:
                raise CatalogueError(
                    "Prerequisite cycle: " + "; ".join(" → ".join(c) for c in cycles)
                )
    except DatabaseError as exc:
        raise CatalogueError(f"The database refused the catalogue: {exc}") from exc
    return report


def _save_all(paths, overwrite, report):
    saved = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogueError(f"{path.name}: cannot be read ({exc})") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogueError(f"{path.name}: not valid JSON ({exc})") from exc
        if not isinstance(data, list):
            raise CatalogueError(f"{path.name}: a fixture must be a JSON list of records")
        records = serializers.deserialize("python", data, handle_forward_references=True)
        number = 0
        while True:
            number += 1
            where = f"{path.name}, record {number}"
            try:
                obj = next(records)
            except StopIteration:
                break
            except (DeserializationError, ObjectDoesNotExist, ValidationError) as exc:
                raise CatalogueError(f"{where}: {_first_line(exc)}") from exc
            instance = obj.object
            where = f"{where} ({instance._meta.label_lower})"
            current = (
                type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
            )
            # The deserializer found the row by its natural key: validate it as an update.
            instance._state.adding = current is None
            try:
                instance.full_clean(validate_unique=False, validate_constraints=True)
            except ValidationError as exc:
                raise CatalogueError(f"{where}: {_messages(exc)}") from exc
            before = None
            if current is not None:
                before = row_digest(current)
                record = CatalogueLoad.objects.filter(
                    model=instance._meta.label_lower, key=row_key(current)
                ).first()
                if not overwrite and (record is None or record.digest != before):
                    report.add("kept", current)
                    continue
            try:
                with transaction.atomic():
                    obj.save()
            except DatabaseError as exc:
                raise CatalogueError(f"{where}: {_first_line(exc)}") from exc
            saved.append((obj, before, where))
    return saved


def _first_line(exc):
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in sorted(exc.message_dict.items()))
    return " ".join(exc.messages)


# --------------------------------------------------------------------------- checking


def catalogue_problems(today=None):
    """Every problem in the catalogue, one line each."""
    today = today or timezone.localdate()
    problems = [
        f"Prerequisite cycle: {' → '.join(cycle)}" for cycle in find_cycles(prerequisite_edges())
    ]
    for slug in Skill.objects.filter(role_skills__isnull=True).values_list("slug", flat=True):
        problems.append(f"Skill '{slug}' is needed by no role")
    for slug in Role.objects.filter(role_skills__isnull=True).values_list("slug", flat=True):
        problems.append(f"Role '{slug}' has no skills")
    problems.extend(learning_problems())
    problems.extend(check_problems())
    retired_successors = (
        Certification.objects.with_status_code(Certification.Status.RETIRED, today)
        .filter(predecessors__isnull=False)
        .values_list("slug", "predecessors__slug")
        .order_by("slug", "predecessors__slug")
    )
    for slug, predecessor in retired_successors:
        problems.append(f"Certification '{predecessor}' names retired '{slug}' as its successor")
    claims = Claim.objects.select_related("source", "certification", "role", "skill")
    for fact, why in facts.settled_disputes(claims):
        problems.append(f"Settled dispute still shown as one: {_fact_name(fact)}: {why}")
    for slug, title, url, note in Source.objects.values_list("slug", "title", "url", "note"):
        if "not recorded" in title.lower():
            problems.append(f"Source '{slug}' says in its title that the title was not recorded")
        if url and "link was not recorded" in note.lower():
            problems.append(f"Source '{slug}' has a link but its note says none was recorded")
    return problems


# Every skill needs this many resources: its official documentation or standard, and a way
# to learn it (a course, tutorial, book or guide).
MIN_RESOURCES = 2


def learning_problems():
    """Skills a learner cannot plan: no hours estimate, or fewer than MIN_RESOURCES resources."""
    problems = []
    skills = Skill.objects.annotate(resource_count=Count("resources")).order_by("slug")
    for slug, low, high, count in skills.values_list(
        "slug", "effort_hours_low", "effort_hours_high", "resource_count"
    ):
        if low is None or high is None:
            problems.append(f"Skill '{slug}' has no hours estimate")
        if count < MIN_RESOURCES:
            problems.append(
                f"Skill '{slug}' has {count} learning resource{'' if count == 1 else 's'}; "
                f"it needs at least {MIN_RESOURCES}"
            )
    return problems


def check_problems():
    """Skills on the ladder without a full self-check pool, and questions that rest on a page
    that is neither among their skill's resources nor one of the catalogue's sources."""
    problems = []
    ladder = (
        Skill.objects.filter(role_skills__role__kind=Role.Kind.LADDER)
        .annotate(pool=Count("check_questions", filter=Q(check_questions__is_active=True)))
        .order_by("slug")
        .distinct()
    )
    for slug, pool in ladder.values_list("slug", "pool"):
        if pool < MIN_POOL:
            problems.append(
                f"Skill '{slug}' has {pool} self-check question{'' if pool == 1 else 's'} in use; "
                f"a skill on the ladder needs at least {MIN_POOL}"
            )
    sources = set(Source.objects.exclude(url="").values_list("url", flat=True))
    resources = set(Resource.objects.values_list("skill_id", "url"))
    questions = CheckQuestion.objects.select_related("skill").order_by("key")
    for question in questions:
        if question.source_url not in sources and (
            (question.skill_id, question.source_url) not in resources
        ):
            problems.append(
                f"Self-check question '{question.key}' rests on {question.source_url}, which is "
                f"neither a resource of '{question.skill.slug}' nor a catalogue source"
            )
    return problems


def _fact_name(fact):
    subject = (fact.claims or [pair[0] for pair in fact.history])[0].subject
    return f"{subject}: {fact.label}{f' ({fact.topic})' if fact.topic else ''}"


def claim_conflicts():
    """One line per fact whose sources disagree, for an admin to settle (or keep showing)."""
    claims = Claim.objects.select_related("source", "certification", "role", "skill")
    lines = []
    for fact in facts.conflicts(claims):
        sources = "; ".join(f"{c.value_label} ({c.source.slug})" for c in fact.claims)
        lines.append(f"Conflict: {_fact_name(fact)}: {sources}")
    return lines
