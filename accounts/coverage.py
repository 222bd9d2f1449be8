"""Who on a team knows what, measured against the team's reference role.

Built in a fixed number of queries whatever the team's size (the memberships with their
users, the progress of all members, when each was last active, their certification plans);
the catalogue comes from the per-process graph in roadmap.progress.
"""

from dataclasses import dataclass, field

from django.db.models import Max

from roadmap.models import CertificationProgress, SkillProgress
from roadmap.path import covered_by
from roadmap.progress import catalogue_graph

# A status in a word and a symbol: never told by colour alone.
MARKS = {
    "done": ("✓", "Done"),
    "learning": ("◐", "Learning"),
    "skipped": ("–", "Skipped"),
    "not_started": ("·", "Not started"),
}


@dataclass
class SkillLine:
    skill: object
    area: str
    core: bool
    cells: list  # one status per member, in the members' order
    done: int = 0

    @property
    def warning(self):
        """A core skill that nobody, or only one person, on the team has done."""
        if not self.core:
            return ""
        if self.done == 0:
            return "Nobody has it"
        if self.done == 1:
            return "Only one person has it"
        return ""


@dataclass
class MemberLine:
    membership: object
    name: str
    reference_percent: int
    target: object  # Role or None
    target_percent: int | None
    last_active: object
    plans: list = field(default_factory=list)  # (certification, status label)


@dataclass
class Coverage:
    reference: object
    members: list
    skills: list  # SkillLine, grouped by area in catalogue order
    areas: list  # [(area name, [SkillLine])]


def _percent(done, total):
    return 100 * done // total if total else 0


def member_name(user, number):
    """What the team page calls a member: their display name or username, never an email
    address (then "Member N")."""
    return user.public_name or f"Member {number}"


def team_coverage(team, memberships, version=None):
    graph = catalogue_graph(version)
    reference = graph.roles[team.reference_role_id]
    slugs = [s for s in covered_by(graph.role_infos, reference.slug) if s in graph.skills]
    infos = {r.slug: r for r in graph.role_infos}
    recommended = set()
    for info in graph.role_infos:
        if info.slug == reference.slug or (
            info.ladder and infos[reference.slug].ladder and info.rank <= reference.rank
        ):
            recommended |= info.recommended
    users = [m.user for m in memberships]
    ids = [u.pk for u in users]
    statuses = {}
    for user_id, skill_id, status in SkillProgress.objects.filter(user_id__in=ids).values_list(
        "user_id", "skill_id", "status"
    ):
        slug = graph.slugs_by_pk.get(skill_id)
        if slug:
            statuses[user_id, slug] = status
    last_active = dict(
        SkillProgress.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(last=Max("updated_at"))
        .values_list("user_id", "last")
    )
    plans = {}
    for user_id, certification_id, status in (
        CertificationProgress.objects.filter(user_id__in=ids)
        .order_by("certification_id")
        .values_list("user_id", "certification_id", "status")
    ):
        certification = graph.certifications_by_pk.get(certification_id)
        if certification:
            label = CertificationProgress.Status(status).label
            plans.setdefault(user_id, []).append((certification, label))

    lines = []
    for slug in sorted(
        slugs,
        key=lambda s: (graph.skill_infos[s].area_position, graph.skill_infos[s].name.lower()),
    ):
        cells = [statuses.get((u.pk, slug), "not_started") for u in users]
        lines.append(
            SkillLine(
                graph.skills[slug],
                graph.skill_infos[slug].area,
                slug not in recommended,
                [(status, *MARKS[status]) for status in cells],
                sum(1 for status in cells if status == "done"),
            )
        )
    members = []
    for number, membership in enumerate(memberships, start=1):
        user = membership.user
        done = {s for s in slugs if statuses.get((user.pk, s)) == "done"}
        target = graph.roles.get(user.target_role_id)
        target_percent = None
        if target is not None:
            wanted = covered_by(graph.role_infos, target.slug)
            target_percent = _percent(
                sum(1 for s in wanted if statuses.get((user.pk, s)) == "done"), len(wanted)
            )
        members.append(
            MemberLine(
                membership,
                member_name(user, number),
                _percent(len(done), len(slugs)),
                target,
                target_percent,
                last_active.get(user.pk),
                plans.get(user.pk, []),
            )
        )
    areas = []
    for line in lines:
        if not areas or areas[-1][0] != line.area:
            areas.append((line.area, []))
        areas[-1][1].append(line)
    return Coverage(reference, members, lines, areas)
