"""The personalised path, as pure functions over plain data (no database, no request).

`compute_path` decides which skills lie between a current role and a target and in what
order; `summarise` counts progress on them; `up_next` and `rank_certifications` pick what
to do next. The view turns database rows into these dataclasses and back.
"""

import datetime
import heapq
import re
from collections import Counter
from dataclasses import dataclass, field

DONE, LEARNING, SKIPPED, NOT_STARTED = "done", "learning", "skipped", "not_started"
# The one spelling of "done or skipped": a skill with either status is behind the learner
# (not left on the path, not offered for credit, good enough as a prerequisite).
DONE_OR_SKIPPED = (DONE, SKIPPED)


@dataclass(frozen=True)
class SkillInfo:
    slug: str
    name: str
    area: str
    area_position: int = 0
    prerequisites: tuple = ()


@dataclass(frozen=True)
class RoleInfo:
    slug: str
    title: str
    ladder: bool
    rank: int | None = None
    skills: tuple = ()  # slugs of the skills this role adds (ladder) or needs (adjacent)
    recommended: frozenset = frozenset()  # of those, the ones it recommends (not core)


@dataclass(frozen=True)
class CertInfo:
    slug: str
    retired: bool
    skills: frozenset = frozenset()
    category: bool = False
    roles: frozenset = frozenset()  # slugs of the roles the catalogue lists it for
    retiring: bool = False  # retires within the retiring window (not yet retired)


@dataclass
class Group:
    role: RoleInfo
    skills: list = field(default_factory=list)  # slugs, prerequisites first
    # Skills on no rung of the path and not held through the current role, added because a
    # skill here needs them first: {added slug: (slugs of the path skills that need it)}.
    needed_for: dict = field(default_factory=dict)


def keeps_current(current, target):
    """Whether the user aims at the role they hold: "keep my role current", no higher target."""
    return current is not None and current == target


def compute_path(roles, skills, current, target):
    """Groups of skill slugs from `current` (a role slug or None) up to `target`.

    A ladder target gets every rung above the current one up to the target (from the first
    rung when the current role is None or not on the ladder); an adjacent target gets that
    role's own skills. A target that is the current role keeps it current: the role's own
    skills first, then each rung's below it (highest first). Each skill appears once, in the
    first group that adds it; every prerequisite, transitively, that is neither on the path
    nor held through the current role (see `covered_by`) is added to the first group that
    needs it and named in its `needed_for`; within a group prerequisites come first.
    """
    by_slug = {r.slug: r for r in roles}
    target_role = by_slug[target]
    keep = keeps_current(current, target)
    if target_role.ladder:
        current_role = by_slug.get(current)
        floor = current_role.rank if current_role and current_role.ladder else 0
        if keep:
            floor = 0
        rungs = sorted(
            (r for r in roles if r.ladder and floor < r.rank <= target_role.rank),
            key=lambda r: r.rank,
        )
        # What the rungs already held list is not added again by a higher one.
        seen = {s for r in roles if r.ladder and r.rank <= floor for s in r.skills}
    else:
        rungs, seen = [target_role], set()
    groups = []
    for rung in rungs:
        fresh = [s for s in dict.fromkeys(rung.skills) if s not in seen and s in skills]
        seen.update(fresh)
        groups.append(Group(rung, fresh))
    _add_missing_prerequisites(groups, skills, set(covered_by(roles, current)))
    for group in groups:
        group.skills = _prerequisites_first(group.skills, skills)
    groups = [g for g in groups if g.skills]
    return groups[::-1] if keep else groups


def _add_missing_prerequisites(groups, skills, held):
    """Add to the groups, transitively, each prerequisite of a path skill that is neither on
    the path nor in `held`, in the first group that needs it; record who needs it."""
    on_path = {s for g in groups for s in g.skills}
    added = {}
    for group in groups:
        queue = list(group.skills)
        while queue:
            slug = queue.pop(0)
            for prereq in skills[slug].prerequisites:
                if prereq in held or prereq in on_path or prereq not in skills:
                    continue
                on_path.add(prereq)
                group.skills.append(prereq)
                added[prereq] = group
                queue.append(prereq)
    for group in groups:
        for slug in group.skills:
            for prereq in skills[slug].prerequisites:
                if prereq in added:
                    needs = added[prereq].needed_for
                    needs[prereq] = (*needs.get(prereq, ()), slug)


def held_skills(roles, current):
    """What counts as known before the path starts: what the current role covers."""
    return frozenset(covered_by(roles, current))


def _prerequisites_first(slugs, skills):
    """Topological order within `slugs`, ties broken by area then name; stable on cycles."""
    members = set(slugs)
    needs = {s: {p for p in skills[s].prerequisites if p in members} for s in slugs}
    unlocks = {s: [] for s in slugs}
    for s, prereqs in needs.items():
        for p in prereqs:
            unlocks[p].append(s)

    def key(slug):
        info = skills[slug]
        return (info.area_position, info.name.lower(), slug)

    waiting = {s: len(p) for s, p in needs.items()}
    heap = [key(s) for s in slugs if waiting[s] == 0]
    heapq.heapify(heap)
    ordered = []
    while heap:
        slug = heapq.heappop(heap)[2]
        ordered.append(slug)
        for nxt in unlocks[slug]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(heap, key(nxt))
    # A cycle (refused elsewhere) must not hide skills: append what is left, in key order.
    ordered.extend(sorted((s for s in slugs if s not in set(ordered)), key=key))
    return ordered


def recommended_on_path(groups):
    """The skills on the path that the role adding them recommends rather than requires."""
    return {s for g in groups for s in g.skills if s in g.role.recommended}


@dataclass
class Summary:
    total: int
    done: int
    learning: int
    skipped: int
    remaining: int
    percent_done: int
    areas: list  # (area name, done, total, percent)
    counted: int = 0  # the skills the percentage counts: all but skipped recommended ones
    skipped_recommended: int = 0


def summarise(path_slugs, statuses, skills, recommended=frozenset()):
    """Counts on the path: skipped is not done; `remaining` is what is not started.

    The percentage is of the skills that count: a recommended skill the user skipped is
    left out (a choice, not a gap); a skipped core skill still counts as not done.
    """
    counts = Counter(statuses.get(s, NOT_STARTED) for s in path_slugs)
    total = len(path_slugs)
    skipped_recommended = sum(
        1 for s in path_slugs if s in recommended and statuses.get(s) == SKIPPED
    )
    counted = total - skipped_recommended
    per_area = {}
    for slug in path_slugs:
        info = skills[slug]
        entry = per_area.setdefault(info.area, [info.area_position, 0, 0])
        entry[2] += 1
        if statuses.get(slug) == DONE:
            entry[1] += 1
    areas = [
        (name, done, count, _percent(done, count))
        for name, (_, done, count) in sorted(per_area.items(), key=lambda kv: (kv[1][0], kv[0]))
    ]
    return Summary(
        total=total,
        done=counts[DONE],
        learning=counts[LEARNING],
        skipped=counts[SKIPPED],
        remaining=counts[NOT_STARTED],
        percent_done=_percent(counts[DONE], counted),
        areas=areas,
        counted=counted,
        skipped_recommended=skipped_recommended,
    )


def _percent(part, whole):
    return (100 * part) // whole if whole else 0


def up_next(path_slugs, statuses, skills, limit=5, recommended=frozenset(), held=frozenset()):
    """Skills on the path, not done or skipped, whose every prerequisite is met: those being
    learned first, then core skills, then recommended ones, in path order.

    A prerequisite is met when it is done or skipped (the user's call), or held through the
    current role (`held`, see `held_skills`); anything else, on the path or not, is unmet.
    """
    ready = []
    for slug in path_slugs:
        if statuses.get(slug) in DONE_OR_SKIPPED:
            continue
        if all(
            p in held or statuses.get(p) in DONE_OR_SKIPPED for p in skills[slug].prerequisites
        ):
            ready.append(slug)
    ready.sort(key=lambda s: (statuses.get(s) != LEARNING, s in recommended))
    return ready[:limit]  # all of them when limit is None


def rank_certifications(certs, remaining, limit=3):
    """Certifications covering the most remaining skills, best first, as (slug, count) pairs.

    A retired certification is never ranked: its successors compete on their own coverage.
    A category (a kind of certification, not a certificate) ranks after a real one.
    """
    remaining = set(remaining)
    scored = [(cert, len(cert.skills & remaining)) for cert in certs if not cert.retired]
    ranked = sorted(
        ((c, n) for c, n in scored if n),
        key=lambda item: (-item[1], item[0].category, item[0].slug),
    )
    return [(c.slug, n) for c, n in ranked[:limit]]


def fitting_certifications(certs, role, own, held, limit=3):
    """For someone keeping `role` current: the certifications the catalogue lists for the
    role, then those covering most of its own skills (`own`), then of everything it holds
    (`held`), as (slug, count of `held` covered) pairs. Never a retired one; a category
    after a real certificate; one neither listed for the role nor covering a held skill,
    never."""
    own, held = set(own), set(held)
    scored = [
        (cert, role in cert.roles, len(cert.skills & own), len(cert.skills & held))
        for cert in certs
        if not cert.retired
    ]
    ranked = sorted(
        (item for item in scored if item[1] or item[3]),
        key=lambda item: (not item[1], -item[2], -item[3], item[0].category, item[0].slug),
    )
    return [(c.slug, n) for c, _, _, n in ranked[:limit]]


@dataclass
class RungProgress:
    role: RoleInfo
    done: int
    total: int
    percent: int
    current: bool
    target: bool


def covered_by(roles, current):
    """The skills someone in `current` (a role slug) already has: a rung's own and every
    rung's below it; an adjacent role's own. In catalogue order, each once."""
    by_slug = {r.slug: r for r in roles}
    role = by_slug.get(current)
    if role is None:
        return []
    if not role.ladder:
        return list(dict.fromkeys(role.skills))
    rungs = sorted((r for r in roles if r.ladder and r.rank <= role.rank), key=lambda r: r.rank)
    return list(dict.fromkeys(s for r in rungs for s in r.skills))


def rung_progress(roles, statuses, current=None, target=None):
    """Progress towards holding each role: ladder rungs in order, then adjacent roles.

    A rung counts everything it takes to hold it: its own skills and every rung's below
    (so the target's bar moves with every skill on the path, and the current role's bar
    with what was credited or ticked below the path). An adjacent role counts its own
    skills. Only done counts; skipped is not done.
    """
    ladder = sorted((r for r in roles if r.ladder), key=lambda r: r.rank)
    adjacent = sorted((r for r in roles if not r.ladder), key=lambda r: r.title)
    below = []
    out = []
    for role in [*ladder, *adjacent]:
        if role.ladder:
            below.extend(role.skills)
            skills = list(dict.fromkeys(below))
        else:
            skills = list(dict.fromkeys(role.skills))
        done = sum(1 for s in skills if statuses.get(s) == DONE)
        out.append(
            RungProgress(
                role,
                done,
                len(skills),
                _percent(done, len(skills)),
                role.slug == current,
                role.slug == target,
            )
        )
    return out


def weekly_completions(completed, today, weeks):
    """[(week start (a Monday), skills completed that week)] for the last `weeks` weeks."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    starts = [this_monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts = Counter(d - datetime.timedelta(days=d.weekday()) for d in completed)
    return [(start, counts.get(start, 0)) for start in starts]


MONTH = re.compile(r"(\d{4})-(\d{1,2})")
EARLIEST_MONTH = datetime.date(1970, 1, 1)


def parse_month(text, today):
    """(the month's first day, None) for "2026-09" (what <input type="month"> sends, and what
    a browser without one lets people type), or (None, why it is refused): the month must
    exist, not be in the future and not be before January 1970."""
    match = MONTH.fullmatch(text.strip()) if isinstance(text, str) and len(text) <= 20 else None
    if match is None:
        return None, "Give the month you learned it as year and month, like 2026-09."
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None, "Give the month you learned it as year and month, like 2026-09."
    first = datetime.date(year, month, 1)
    if first < EARLIEST_MONTH:
        return None, "The month you learned it cannot be before January 1970."
    if first > today:  # a later month: this month's first day is never after today
        return None, "The month you learned it cannot be in the future."
    return first, None


def monthly_completions(completed, today, months):
    """[(month's first day, skills completed that month)] for the last `months` months."""
    starts = []
    for back in range(months - 1, -1, -1):
        month0 = today.year * 12 + today.month - 1 - back
        starts.append(datetime.date(month0 // 12, month0 % 12 + 1, 1))
    counts = Counter(d.replace(day=1) for d in completed)
    return [(start, counts.get(start, 0)) for start in starts]


def activity_grid(days_active, today, weeks):
    """Weeks (columns, oldest first) of 7 days (Monday first): (date, count) or None for
    days after today. `days_active` holds one date per start or completion."""
    counts = Counter(days_active)
    first = today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(weeks=weeks - 1)
    grid = []
    for w in range(weeks):
        column = []
        for d in range(7):
            day = first + datetime.timedelta(weeks=w, days=d)
            column.append(None if day > today else (day, counts.get(day, 0)))
        grid.append(column)
    return grid


@dataclass
class Pace:
    hours_low: int
    hours_high: int
    weeks_low: int
    weeks_high: int
    earliest: datetime.date | None  # None: beyond PACE_HORIZON_WEEKS
    latest: datetime.date | None
    estimated: int  # remaining skills with an estimate
    unestimated: int  # remaining skills without one
    own: int = 0  # of the estimated, how many by the user's own estimate


def pace(remaining, estimates, hours_per_week, today, own=None):
    """An expected date range for the remaining skills of a rung, or None.

    `estimates` maps a skill to (low, high) hours, admins' estimates; `own` maps a skill to
    the user's own estimate in hours, which wins where both exist. Skills without either
    are counted apart and left out of the range, which says so.
    """
    own = own or {}
    if not hours_per_week or not remaining:
        return None
    known = [
        (own[s], own[s]) if s in own else estimates[s]
        for s in remaining
        if s in own or s in estimates
    ]
    if not known:
        return None
    low = sum(lo for lo, _ in known)
    high = sum(hi for _, hi in known)
    weeks_low = -(-low // hours_per_week)
    weeks_high = -(-high // hours_per_week)
    return Pace(
        low,
        high,
        weeks_low,
        weeks_high,
        _weeks_from(today, weeks_low),
        _weeks_from(today, weeks_high),
        len(known),
        len(remaining) - len(known),
        sum(1 for s in remaining if s in own),
    )


# Beyond this a date means nothing (and far enough beyond it, dates overflow).
PACE_HORIZON_WEEKS = 52 * 50


def _weeks_from(today, weeks):
    """The day `weeks` from today, or None past the horizon ("more than 50 years")."""
    if weeks > PACE_HORIZON_WEEKS:
        return None
    return today + datetime.timedelta(weeks=weeks)
