"""Who on a team knows what, measured against the team's reference role.

Two halves: `read_members` reads the database in a fixed number of queries whatever the
team's size (the progress of all members, when each was last active, their certification
plans) into plain `Member`s; `build_coverage` computes the matrix, its warnings and counts
from them without a query (tests/test_coverage_logic.py). The catalogue comes from the
per-process graph in roadmap.selectors; `team_coverage` joins the two halves.
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

# Done and checked: the member passed the skill's self-check (roadmap/checks.py), not only
# said so. Still a "done" cell for the counts and the status filter.
CHECKED = ("done", "✔", "Done, checked")
CHECKED_OUTSIDE = ("done", "✔", "Done, checked" + OUTSIDE)

# One table cell per kind of cell, rendered once: a 200-member matrix has thousands of cells.
CELL_HTML = {
    cell: format_html(
        '<td class="cell-{}{}{}"><span aria-hidden="true">{}</span> {}</td>',
        cell[0],
        " cell-checked" if cell in (CHECKED, CHECKED_OUTSIDE) else "",
        " cell-outside" if cell[2].endswith(OUTSIDE) else "",
        cell[1],
        cell[2],
    )
    for cell in [*CELLS.values(), *CELLS_OUTSIDE.values(), CHECKED, CHECKED_OUTSIDE]
}


@dataclass
class SkillLine:
    skill: object
    area: str
    core: bool
    cells: list  # one status per member, in the members' order
    done: int = 0
    checked: int = 0  # of those done, how many passed the self-check

    @property
    def cells_html(self):
        return self.cells_html_between(0, len(self.cells))

    def cells_html_between(self, start, stop):
        """The cells of the members from `start` to `stop` (a page of the matrix)."""
        return mark_safe("".join(CELL_HTML[cell] for cell in self.cells[start:stop]))  # noqa: S308

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
    # For the plan above the matrix (accounts/dashboard.py), always against the team's role:
    reference_skills: list = field(default_factory=list)  # slugs
    reference_core: set = field(default_factory=set)
    # user id -> {slug: (status, completed_at)}, and user id -> [(certification, status)]
    progress: dict = field(default_factory=dict)
    plan_statuses: dict = field(default_factory=dict)
    graph: object = None


def _percent(done, total):
    return 100 * done // total if total else 0


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
    members = read_members(memberships, graph)
    return build_coverage(
        graph.roles[team.reference_role_id], members, graph, measure=measure, order=order
    )


# The query half: the database read into plain data, in three queries whatever the size.


@dataclass
class Member:
    """What the matrix needs of one member, read from the database once."""

    membership: object
    public_name: str
    target: object  # Role or None
    statuses: dict  # slug -> (status, completed_at)
    last_active: object = None
    plans: list = field(default_factory=list)  # (certification, status), by certification
    checked: set = field(default_factory=set)  # slugs whose self-check they passed


def read_members(memberships, graph):
    """Each member's progress, last activity and certification plan (skills and
    certifications the catalogue no longer has are left out)."""
    ids = [m.user.pk for m in memberships]
    statuses = {pk: {} for pk in ids}
    checked = {pk: set() for pk in ids}
    for user_id, skill_id, status, completed_at, checked_at in SkillProgress.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "skill_id", "status", "completed_at", "checked_at"):
        slug = graph.slugs_by_pk.get(skill_id)
        if slug in graph.skills:
            statuses[user_id][slug] = (status, completed_at)
            if checked_at is not None:
                checked[user_id].add(slug)
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
            plans.setdefault(user_id, []).append((certification, status))
    return [
        Member(
            membership,
            membership.user.public_name,
            graph.roles.get(membership.user.target_role_id),
            statuses[membership.user.pk],
            last_active.get(membership.user.pk),
            plans.get(membership.user.pk, []),
            checked[membership.user.pk],
        )
        for membership in memberships
    ]


# The pure half: plain data in (members, the catalogue graph's role and skill infos), the
# matrix, its warnings and counts out. Unit-tested in tests/test_coverage_logic.py.


def build_coverage(reference, members, graph, measure="reference", order="joined"):
    """The Coverage of `members` (in the order they joined) against `reference` (a role
    with a slug), or each against their own target (`measure="target"`)."""
    reference_skills = _asks(graph, reference.slug)
    # What each member's own target asks for, once per target role.
    wanted = {
        m.target.slug: covered_by(graph.role_infos, m.target.slug) for m in members if m.target
    }
    if measure == "target":
        slugs = [s for t in sorted(wanted) for s in wanted[t] if s in graph.skills]
        slugs = list(dict.fromkeys(slugs))
        core = {s for t in wanted for s in set(wanted[t]) - _recommended(graph, t)}
    else:
        slugs = reference_skills
        core = set(slugs) - _recommended(graph, reference.slug)
    needed = set(reference_skills).union(*wanted.values())
    progress = {
        m.membership.user_id: {s: v for s, v in m.statuses.items() if s in needed} for m in members
    }
    rows = _member_rows(members, progress, reference_skills, wanted)
    _sort_members(rows, measure, order)
    lines = _skill_lines(graph, slugs, core, rows, measure)
    return Coverage(
        reference,
        [row[0] for row in rows],
        lines,
        _by_area(lines),
        reference_skills=reference_skills,
        reference_core=set(reference_skills) - _recommended(graph, reference.slug),
        progress=progress,
        plan_statuses={m.membership.user_id: m.plans for m in members if m.plans},
        graph=graph,
    )


def _asks(graph, role_slug):
    """The skills a role asks for (with the rungs below it), in catalogue order."""
    return [s for s in covered_by(graph.role_infos, role_slug) if s in graph.skills]


def _member_rows(members, progress, reference_skills, wanted):
    """(MemberLine, {slug: status}, the skills their target asks) per member."""
    rows = []
    for number, member in enumerate(members, 1):
        column = {
            slug: status for slug, (status, _) in progress[member.membership.user_id].items()
        }
        done = {slug for slug, status in column.items() if status == "done"}
        asks = wanted[member.target.slug] if member.target else []
        line = MemberLine(
            member.membership,
            member.public_name or f"Member {number}",
            _percent(sum(1 for s in reference_skills if s in done), len(reference_skills)),
            member.target,
            _percent(sum(1 for s in asks if s in done), len(asks)) if member.target else None,
            member.last_active,
            [(c, CertificationProgress.Status(status).label) for c, status in member.plans],
        )
        rows.append((line, column, set(asks), member.checked))
    return rows


def _sort_members(rows, measure, order):
    if order == "name":
        rows.sort(key=lambda row: row[0].name.lower())
    elif order == "progress":
        key = "target_percent" if measure == "target" else "reference_percent"
        rows.sort(key=lambda row: -(getattr(row[0], key) or 0))


def _skill_lines(graph, slugs, core, rows, measure):
    """One SkillLine per skill, by area and name: a cell per member, and how many say Done."""
    infos = graph.skill_infos
    lines = []
    for slug in sorted(slugs, key=lambda s: (infos[s].area_position, infos[s].name.lower())):
        cells = []
        for _, column, asks, checked in rows:
            status = column.get(slug, "not_started")
            inside = measure != "target" or slug in asks
            if status == "done" and slug in checked:
                cells.append(CHECKED if inside else CHECKED_OUTSIDE)
            elif inside:
                cells.append(CELLS[status])
            else:
                cells.append(CELLS_OUTSIDE.get(status, CELLS["not_asked"]))
        done = sum(1 for cell in cells if cell[0] == "done")
        checked = sum(1 for cell in cells if cell in (CHECKED, CHECKED_OUTSIDE))
        lines.append(
            SkillLine(graph.skills[slug], infos[slug].area, slug in core, cells, done, checked)
        )
    return lines


def _by_area(lines):
    areas = []
    for line in lines:
        if not areas or areas[-1][0] != line.area:
            areas.append((line.area, []))
        areas[-1][1].append(line)
    return areas
