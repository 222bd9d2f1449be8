"""Who on a team knows what, measured against the team's reference role.

Built in a fixed number of queries whatever the team's size (the memberships with their
users, the progress of all members, when each was last active, their certification plans);
the catalogue comes from the per-process graph in roadmap.selectors.
"""

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from roadmap.models import CertificationProgress, SkillProgress
from roadmap.path import covered_by
from roadmap.selectors import catalogue_graph

# A status in a word and a symbol: never told by colour alone.
MARKS = {
    "done": ("✓", "Done"),
    "learning": ("◐", "Learning"),
    "skipped": ("–", "Skipped"),
    "not_started": ("·", "Not started"),
    "not_asked": ("", "Not in their target"),
}


# (status, mark, word) per status, shared by every cell.
CELLS = {status: (status, mark, label) for status, (mark, label) in MARKS.items()}

# Measured against each member's own target, a skill outside someone's target that they
# have done, are learning or skipped still shows it (and says it is outside): the counts
# and warnings count the same people the cells show.
OUTSIDE = " (not in their target)"
CELLS_OUTSIDE = {
    status: (status, mark, label + OUTSIDE)
    for status, (mark, label) in MARKS.items()
    if status in ("done", "learning", "skipped")
}

# One table cell per kind of cell, rendered once: a 200-member matrix has thousands of cells.
CELL_HTML = {
    cell: format_html(
        '<td class="cell-{}{}"><span aria-hidden="true">{}</span> {}</td>',
        cell[0],
        " cell-outside" if cell[2].endswith(OUTSIDE) else "",
        cell[1],
        cell[2],
    )
    for cell in [*CELLS.values(), *CELLS_OUTSIDE.values()]
}


@dataclass
class SkillLine:
    skill: object
    area: str
    core: bool
    cells: list  # one status per member, in the members' order
    done: int = 0

    @property
    def cells_html(self):
        return mark_safe("".join(CELL_HTML[cell] for cell in self.cells))  # noqa: S308

    @property
    def warning(self):
        """A core skill that nobody, or only one person, on the team has done: `done` is
        the number of cells that say "Done", whatever the measure."""
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

    @property
    def plans_html(self):
        """The certification plan in one line, retired and retiring ones flagged."""
        return format_html_join(", ", "{}", ((plan_html(c, label),) for c, label in self.plans))


def plan_html(certification, label):
    """'<a>Name</a> (Planned; retired, succeeded by X)', as the team pages show a plan."""
    note = ""
    if certification.is_retired:
        successors = " or ".join(s.name for s in certification.successors.all())
        note = "; retired" + (f", succeeded by {successors}" if successors else "")
    elif certification.retires_on:
        note = f"; retires {certification.retires_on:%-d %b %Y}"
    return format_html(
        '<a href="{}">{}</a> ({}{})',
        certification.get_absolute_url(),
        certification.name,
        label,
        note,
    )


@dataclass
class Coverage:
    reference: object
    members: list
    skills: list  # SkillLine, grouped by area in catalogue order
    areas: list  # [(area name, [SkillLine])]
    measure: str = "reference"  # or "target": each member's own
    # For the plan above the matrix (accounts/dashboard.py), always against the team's role:
    reference_skills: list = field(default_factory=list)  # slugs
    reference_core: set = field(default_factory=set)
    # user id -> {slug: (status, completed_at)}, and user id -> [(certification, status)]
    progress: dict = field(default_factory=dict)
    plan_statuses: dict = field(default_factory=dict)
    graph: object = None


def _percent(done, total):
    return 100 * done // total if total else 0


def member_name(user, number):
    """What the team page calls a member: their display name or username, never an email
    address (then "Member N")."""
    return user.public_name or f"Member {number}"


def _recommended(graph, role_slug):
    """What a role (a rung with those below it, or an adjacent role) recommends, not needs."""
    infos = {r.slug: r for r in graph.role_infos}
    role = infos[role_slug]
    out = set()
    for info in graph.role_infos:
        if info.slug == role_slug or (info.ladder and role.ladder and info.rank <= role.rank):
            out |= info.recommended
    return out


def area_names(version=None):
    """Every skill area's name, in catalogue order (the matrix's area filter)."""
    infos = catalogue_graph(version).skill_infos.values()
    return [name for _, name in sorted({(i.area_position, i.area) for i in infos})]


def team_coverage(team, memberships, version=None, measure="reference", order="joined"):
    """The matrix against the team's reference role, or ("target") against each member's
    own target (a skill outside someone's target is "not asked" of them); members in the
    order they joined, by name, or by progress (most first)."""
    graph = catalogue_graph(version)
    reference = graph.roles[team.reference_role_id]
    users = [m.user for m in memberships]
    ids = [u.pk for u in users]
    # What each member's own target asks for, once per target role.
    targets = {graph.roles[u.target_role_id].slug for u in users if u.target_role_id}
    wanted = {slug: covered_by(graph.role_infos, slug) for slug in targets}
    reference_skills = [
        s for s in covered_by(graph.role_infos, reference.slug) if s in graph.skills
    ]
    if measure == "target":
        slugs = [s for s in dict.fromkeys(x for t in sorted(targets) for x in wanted[t])]
        core = {s for t in targets for s in set(wanted[t]) - _recommended(graph, t)}
    else:
        slugs = reference_skills
        core = set(slugs) - _recommended(graph, reference.slug)
    slugs = [s for s in slugs if s in graph.skills]
    needed = set(slugs).union(reference_skills, *wanted.values())
    skill_ids = [graph.skills[s].pk for s in needed if s in graph.skills]
    per_user = {pk: {} for pk in ids}  # user id -> {slug: status}
    progress = {pk: {} for pk in ids}  # user id -> {slug: (status, completed_at)}
    for user_id, skill_id, status, completed_at in SkillProgress.objects.filter(
        user_id__in=ids, skill_id__in=skill_ids
    ).values_list("user_id", "skill_id", "status", "completed_at"):
        slug = graph.slugs_by_pk[skill_id]
        per_user[user_id][slug] = status
        progress[user_id][slug] = (status, completed_at)
    last_active = dict(
        SkillProgress.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(last=Max("updated_at"))
        .values_list("user_id", "last")
    )
    plans, plan_statuses = {}, {}
    for user_id, certification_id, status in (
        CertificationProgress.objects.filter(user_id__in=ids)
        .order_by("certification_id")
        .values_list("user_id", "certification_id", "status")
    ):
        certification = graph.certifications_by_pk.get(certification_id)
        if certification:
            label = CertificationProgress.Status(status).label
            plans.setdefault(user_id, []).append((certification, label))
            plan_statuses.setdefault(user_id, []).append((certification, status))

    members = []
    for number, membership in enumerate(memberships, 1):
        user = membership.user
        column = per_user[user.pk]
        done = {slug for slug, status in column.items() if status == "done"}
        target = graph.roles.get(user.target_role_id)
        target_percent = None
        if target is not None:
            asks = wanted[target.slug]
            target_percent = _percent(sum(1 for s in asks if s in done), len(asks))
        line = MemberLine(
            membership,
            member_name(user, number),
            _percent(sum(1 for s in reference_skills if s in done), len(reference_skills)),
            target,
            target_percent,
            last_active.get(user.pk),
            plans.get(user.pk, []),
        )
        members.append((line, column, set(wanted[target.slug]) if target else set()))
    if order == "name":
        members.sort(key=lambda m: m[0].name.lower())
    elif order == "progress":
        key = "target_percent" if measure == "target" else "reference_percent"
        members.sort(key=lambda m: -(getattr(m[0], key) or 0))

    lines = []
    for slug in sorted(
        slugs,
        key=lambda s: (graph.skill_infos[s].area_position, graph.skill_infos[s].name.lower()),
    ):
        cells = []
        for _, column, asks in members:
            status = column.get(slug, "not_started")
            if measure != "target" or slug in asks:
                cells.append(CELLS[status])
            else:
                cells.append(CELLS_OUTSIDE.get(status, CELLS["not_asked"]))
        lines.append(
            SkillLine(
                graph.skills[slug],
                graph.skill_infos[slug].area,
                slug in core,
                cells,
                sum(1 for cell in cells if cell[0] == "done"),
            )
        )
    members = [line for line, _, _ in members]
    areas = []
    for line in lines:
        if not areas or areas[-1][0] != line.area:
            areas.append((line.area, []))
        areas[-1][1].append(line)
    return Coverage(
        reference,
        members,
        lines,
        areas,
        measure,
        reference_skills=reference_skills,
        reference_core=set(reference_skills) - _recommended(graph, reference.slug),
        progress=progress,
        plan_statuses=plan_statuses,
        graph=graph,
    )
