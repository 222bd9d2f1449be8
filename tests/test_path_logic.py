"""The path computation, on plain data: no database, no request."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.path import (
    CertInfo,
    RoleInfo,
    SkillInfo,
    compute_path,
    held_skills,
    rank_certifications,
    summarise,
    up_next,
)

SKILLS = {
    s.slug: s
    for s in [
        SkillInfo("python", "Python", "Programming", 1),
        SkillInfo("sql", "SQL", "Programming", 1),
        SkillInfo("stats", "Statistics", "Maths", 2),
        SkillInfo("docker", "Docker", "Ops", 3),
        SkillInfo("k8s", "Kubernetes", "Ops", 3, ("docker",)),
        SkillInfo("deploy", "Deployment", "Ops", 3, ("docker",)),
        SkillInfo("drift", "Drift", "Ops", 3, ("deploy", "stats")),
        SkillInfo("arch", "Architecture", "Lead", 4, ("deploy",)),
        SkillInfo("r", "R", "Programming", 1),
    ]
}
ROLES = [
    RoleInfo("junior", "Junior", True, 1, ("python", "sql", "stats")),
    # Kubernetes is listed before what it needs, and sql again: order and duplicates are ours.
    RoleInfo("mid", "Mid", True, 2, ("k8s", "drift", "deploy", "docker", "sql")),
    RoleInfo("senior", "Senior", True, 3, ("arch",)),
    RoleInfo("analyst", "Analyst", False, None, ("sql", "r", "stats")),
]


def slugs(groups):
    return [(g.role.slug, g.skills) for g in groups]


def test_a_ladder_target_adds_up_every_rung_above_the_current_one():
    groups = compute_path(ROLES, SKILLS, current="junior", target="senior")
    assert [g.role.slug for g in groups] == ["mid", "senior"]


def test_someone_not_in_ai_yet_starts_from_the_first_rung():
    groups = compute_path(ROLES, SKILLS, current=None, target="mid")
    assert [g.role.slug for g in groups] == ["junior", "mid"]
    assert groups[0].skills == ["python", "sql", "stats"]


def test_someone_in_an_adjacent_role_climbs_the_ladder_from_the_first_rung():
    groups = compute_path(ROLES, SKILLS, current="analyst", target="junior")
    assert [g.role.slug for g in groups] == ["junior"]


def test_an_adjacent_target_is_that_roles_own_skills():
    assert slugs(compute_path(ROLES, SKILLS, current="senior", target="analyst")) == [
        ("analyst", ["r", "sql", "stats"])
    ]


def test_prerequisites_come_first_and_no_skill_appears_twice():
    groups = compute_path(ROLES, SKILLS, current=None, target="senior")
    flat = [s for g in groups for s in g.skills]
    assert len(flat) == len(set(flat))
    mid = groups[1].skills
    assert "sql" not in mid  # already added by the junior rung
    assert mid.index("docker") < mid.index("k8s")
    assert mid.index("docker") < mid.index("deploy") < mid.index("drift")
    assert mid == ["docker", "deploy", "drift", "k8s"]


def test_a_target_at_or_below_the_current_rung_is_an_empty_path():
    assert compute_path(ROLES, SKILLS, current="senior", target="mid") == []


def test_a_prerequisite_cycle_never_hides_a_skill():
    skills = dict(SKILLS)
    skills["docker"] = SkillInfo("docker", "Docker", "Ops", 3, ("k8s",))
    groups = compute_path(ROLES, skills, current="junior", target="mid")
    assert sorted(groups[0].skills) == ["deploy", "docker", "drift", "k8s"]


def test_summary_counts_skipped_apart_from_done():
    path = ["python", "sql", "stats", "docker"]
    statuses = {"python": "done", "sql": "skipped", "stats": "learning"}
    summary = summarise(path, statuses, SKILLS)
    assert (summary.total, summary.done, summary.learning, summary.skipped) == (4, 1, 1, 1)
    assert summary.remaining == 1
    assert summary.percent_done == 25
    assert summary.areas == [
        ("Programming", 1, 2, 50),
        ("Maths", 0, 1, 0),
        ("Ops", 0, 1, 0),
    ]


def test_an_empty_path_is_zero_percent_not_an_error():
    assert summarise([], {}, SKILLS).percent_done == 0


def test_up_next_is_what_is_not_done_and_whose_prerequisites_are_met():
    path = ["docker", "deploy", "drift", "k8s"]
    held = frozenset({"stats"})  # Statistics is not on this path: the current role has it.
    assert up_next(path, {}, SKILLS, held=held) == ["docker"]
    assert up_next(path, {"docker": "done"}, SKILLS, held=held) == ["deploy", "k8s"]
    assert up_next(path, {"docker": "done", "deploy": "done"}, SKILLS, held=held) == [
        "drift",
        "k8s",
    ]
    # Skipping a prerequisite is the user's call: it no longer holds back what needs it.
    assert up_next(path, {"docker": "done", "deploy": "skipped"}, SKILLS, held=held) == [
        "drift",
        "k8s",
    ]


def test_up_next_never_takes_a_prerequisite_off_the_path_as_known():
    path = ["docker", "deploy", "drift", "k8s"]
    statuses = {"docker": "done", "deploy": "done"}
    # Nobody said Statistics is held: Drift waits for it.
    assert up_next(path, statuses, SKILLS) == ["k8s"]
    assert up_next(path, {**statuses, "stats": "done"}, SKILLS) == ["drift", "k8s"]


def test_a_switcher_gets_the_prerequisites_her_role_does_not_give_her_marked_as_such():
    # An analyst (SQL, R, Statistics) aiming at a role of Drift and Architecture: Drift
    # needs Statistics (held) and Deployment, which needs Docker; Architecture needs
    # Deployment too. Neither is the analyst's nor the role's: both are added, each named
    # with the skills that need it.
    roles = [*ROLES, RoleInfo("ops", "Ops", False, None, ("drift", "arch"))]
    groups = compute_path(roles, SKILLS, current="analyst", target="ops")
    assert slugs(groups) == [("ops", ["docker", "deploy", "drift", "arch"])]
    assert groups[0].needed_for == {"docker": ("deploy",), "deploy": ("drift", "arch")}
    assert "stats" not in groups[0].skills  # the analyst holds it


def test_keeping_a_role_current_shows_its_own_skills_first_then_the_rungs_below():
    groups = compute_path(ROLES, SKILLS, current="mid", target="mid")
    assert slugs(groups) == [
        ("mid", ["docker", "deploy", "drift", "k8s"]),
        ("junior", ["python", "sql", "stats"]),
    ]
    assert slugs(compute_path(ROLES, SKILLS, current="analyst", target="analyst")) == [
        ("analyst", ["r", "sql", "stats"])
    ]


def test_up_next_puts_skills_being_learned_first():
    path = ["python", "sql", "stats"]
    assert up_next(path, {"stats": "learning"}, SKILLS) == ["stats", "python", "sql"]


def test_certifications_that_fit_a_role_rank_its_own_skills_first_and_never_retired():
    from roadmap.path import fitting_certifications

    certs = [
        CertInfo("old", retired=True, skills=frozenset({"arch"})),
        CertInfo("wide", retired=False, skills=frozenset({"python", "sql", "docker"})),
        CertInfo("own", retired=False, skills=frozenset({"arch", "python"})),
        CertInfo("none", retired=False, skills=frozenset({"r"})),
    ]
    held = {"python", "sql", "stats", "docker", "k8s", "deploy", "drift", "arch"}
    assert fitting_certifications(certs, "senior", own={"arch"}, held=held) == [
        ("own", 2),
        ("wide", 3),
    ]
    # One the catalogue lists for the role comes first, whatever it covers.
    listed = CertInfo(
        "listed", retired=False, skills=frozenset({"r"}), roles=frozenset({"senior"})
    )
    assert fitting_certifications([*certs, listed], "senior", {"arch"}, held) == [
        ("listed", 0),
        ("own", 2),
        ("wide", 3),
    ]


def test_certifications_are_ranked_by_remaining_skills_and_never_retired():
    certs = [
        CertInfo("old", retired=True, skills=frozenset({"docker", "k8s", "deploy"})),
        CertInfo("new", retired=False, skills=frozenset({"docker", "deploy"})),
        CertInfo("small", retired=False, skills=frozenset({"k8s"})),
        CertInfo("kind", retired=False, skills=frozenset({"drift", "arch"}), category=True),
        CertInfo("useless", retired=False, skills=frozenset({"python"})),
    ]
    ranked = rank_certifications(certs, remaining={"docker", "k8s", "deploy", "drift", "arch"})
    assert ranked == [("new", 2), ("kind", 2), ("small", 1)]


def test_rung_progress_counts_what_it_takes_to_hold_each_role():
    from roadmap.path import rung_progress

    rungs = rung_progress(
        ROLES, {"python": "done", "sql": "skipped", "docker": "done"}, "junior", "senior"
    )
    assert [(r.role.slug, r.done, r.total, r.percent) for r in rungs] == [
        # A rung holds the rungs below it: mid is junior's three and its own four.
        ("junior", 1, 3, 33),
        ("mid", 2, 7, 28),
        ("senior", 2, 8, 25),
        # An adjacent role counts its own; skipped is not done.
        ("analyst", 0, 3, 0),
    ]
    assert [r.slug for r in (x.role for x in rungs if x.current)] == ["junior"]
    assert [x.role.slug for x in rungs if x.target] == ["senior"]


def test_weekly_completions_count_by_week_starting_monday():
    import datetime

    from roadmap.path import weekly_completions

    today = datetime.date(2026, 11, 29)  # a Sunday
    done = [datetime.date(2026, 11, 23), datetime.date(2026, 11, 29), datetime.date(2026, 11, 16)]
    weeks = weekly_completions(done, today, weeks=3)
    assert weeks == [
        (datetime.date(2026, 11, 9), 0),
        (datetime.date(2026, 11, 16), 1),
        (datetime.date(2026, 11, 23), 2),
    ]


def test_the_activity_grid_has_seven_days_a_week_and_nothing_after_today():
    import datetime

    from roadmap.path import activity_grid

    today = datetime.date(2026, 11, 25)  # a Wednesday
    grid = activity_grid([today, today, datetime.date(2026, 11, 16)], today, weeks=2)
    assert len(grid) == 2 and all(len(week) == 7 for week in grid)
    assert grid[0][0] == (datetime.date(2026, 11, 16), 1)
    assert grid[1][2] == (today, 2)
    assert grid[1][3] is None  # Thursday has not happened yet


def test_a_day_without_activity_is_an_empty_day_on_the_activity_grid():
    import datetime

    from roadmap.path import activity_grid

    today = datetime.date(2026, 11, 25)  # a Wednesday
    grid = activity_grid([today], today, weeks=1)
    assert grid[0][:3] == [
        (datetime.date(2026, 11, 23), 0),
        (datetime.date(2026, 11, 24), 0),
        (today, 1),
    ]


def test_pace_turns_estimates_and_hours_per_week_into_a_date_range():
    import datetime

    from roadmap.path import pace

    today = datetime.date(2026, 11, 29)
    estimates = {"docker": (10, 20), "k8s": (20, 40)}
    result = pace(["docker", "k8s", "deploy"], estimates, 10, today)
    assert (result.hours_low, result.hours_high) == (30, 60)
    assert (result.weeks_low, result.weeks_high) == (3, 6)
    assert result.earliest == datetime.date(2026, 12, 20)
    assert result.latest == datetime.date(2027, 1, 10)
    assert (result.estimated, result.unestimated) == (2, 1)
    assert pace(["deploy"], estimates, 10, today) is None  # nothing estimated
    assert pace(["docker"], estimates, None, today) is None  # pace is off
    assert pace([], estimates, 10, today) is None


def test_the_users_own_estimate_wins_and_fills_what_admins_left_out():
    import datetime

    from roadmap.path import pace

    today = datetime.date(2026, 11, 29)
    estimates = {"docker": (10, 20), "k8s": (20, 40)}
    result = pace(["docker", "k8s", "deploy"], estimates, 10, today, own={"k8s": 5, "deploy": 15})
    assert (result.hours_low, result.hours_high) == (30, 40)
    assert (result.estimated, result.unestimated, result.own) == (3, 0, 2)
    only_own = pace(["deploy"], estimates, 10, today, own={"deploy": 15})
    assert (only_own.weeks_low, only_own.weeks_high, only_own.own) == (2, 2, 1)


def test_a_skipped_recommended_skill_is_left_out_of_the_percentage_a_core_one_is_not():
    path = ["python", "sql", "stats", "r"]
    statuses = {"python": "done", "r": "skipped"}
    plain = summarise(path, statuses, SKILLS)
    assert (plain.percent_done, plain.counted) == (25, 4)
    optional = summarise(path, statuses, SKILLS, recommended={"r"})
    assert (optional.percent_done, optional.counted, optional.skipped_recommended) == (33, 3, 1)
    core_skipped = summarise(path, {"python": "done", "sql": "skipped"}, SKILLS, {"r"})
    assert core_skipped.percent_done == 25


def test_up_next_puts_core_skills_before_recommended_ones():
    path = ["r", "python", "sql"]
    assert up_next(path, {}, SKILLS, recommended={"r"}) == ["python", "sql", "r"]
    assert up_next(path, {"r": "learning"}, SKILLS, recommended={"r"})[0] == "r"


# The property: for the real catalogue, every (current, target) pair and any statuses.


def _catalogue():
    """Roles and skills as the path sees them, read from the fixtures (no database)."""
    import json
    from pathlib import Path

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    rows = json.loads((fixtures / "02_skills.json").read_text())
    rows += json.loads((fixtures / "03_roles.json").read_text())
    areas = {r["fields"]["slug"]: r["fields"] for r in rows if r["model"] == "roadmap.skillarea"}
    skills = {}
    for r in rows:
        if r["model"] == "roadmap.skill":
            f = r["fields"]
            area = areas[f["area"][0]]
            prereqs = tuple(p[0] for p in f.get("prerequisites", []))
            skills[f["slug"]] = SkillInfo(
                f["slug"], f["name"], area["name"], area["position"], prereqs
            )
    role_skills = {}
    for r in rows:
        if r["model"] == "roadmap.roleskill":
            f = r["fields"]
            role_skills.setdefault(f["role"][0], []).append((f["skill"][0], f["importance"]))
    roles = []
    for r in rows:
        if r["model"] == "roadmap.role":
            f = r["fields"]
            listed = role_skills.get(f["slug"], [])
            roles.append(
                RoleInfo(
                    f["slug"],
                    f["title"],
                    f["kind"] == "ladder",
                    f.get("rank"),
                    tuple(s for s, _ in listed),
                    frozenset(s for s, i in listed if i == "recommended"),
                )
            )
    return roles, skills


CAT_ROLES, CAT_SKILLS = _catalogue()
PAIRS = [(c, t.slug) for c in [None, *(r.slug for r in CAT_ROLES)] for t in CAT_ROLES]


def _held_through(current):
    """Worked out here, apart from the code under test: a ladder rung's skills and every
    rung's below it; an adjacent role's own; nothing without a current role."""
    role = next((r for r in CAT_ROLES if r.slug == current), None)
    if role is None:
        return set()
    if not role.ladder:
        return set(role.skills)
    return {s for r in CAT_ROLES if r.ladder and r.rank <= role.rank for s in r.skills}


def test_the_catalogue_has_every_pair_of_roles_to_try():
    assert len(CAT_ROLES) == 9 and len(PAIRS) == 90
    assert "ml-fundamentals" in CAT_SKILLS


STATUSES = st.dictionaries(
    st.sampled_from(sorted(CAT_SKILLS)),
    st.sampled_from(["done", "learning", "skipped", "not_started"]),
)


@pytest.mark.parametrize(("current", "target"), PAIRS)
@settings(max_examples=40, deadline=None)
@given(statuses=STATUSES)
def test_every_path_holds_its_prerequisites_and_up_next_never_skips_one(current, target, statuses):
    groups = compute_path(CAT_ROLES, CAT_SKILLS, current, target)
    path = [s for g in groups for s in g.skills]
    held = _held_through(current)
    assert len(path) == len(set(path))
    # (a) Every prerequisite of every skill on the path is on it or held through the role.
    for slug in path:
        for prereq in CAT_SKILLS[slug].prerequisites:
            assert prereq in path or prereq in held, (slug, prereq)
    # An added prerequisite says which skills on the path need it.
    target_role = next(r for r in CAT_ROLES if r.slug == target)
    for group in groups:
        for added, needers in group.needed_for.items():
            assert added in group.skills and needers
            assert all(added in CAT_SKILLS[n].prerequisites and n in path for n in needers)
    if not target_role.ladder and current != target:
        assert set(target_role.skills) <= set(path)
    # (b) Nothing in Up next has an unmet prerequisite, on the path or not.
    ready = up_next(path, statuses, CAT_SKILLS, limit=None, held=held_skills(CAT_ROLES, current))
    for slug in ready:
        assert statuses.get(slug) not in ("done", "skipped")
        for prereq in CAT_SKILLS[slug].prerequisites:
            assert prereq in held or statuses.get(prereq) in ("done", "skipped"), (slug, prereq)
    # And Up next is not empty while something on the path could be started.
    if any(statuses.get(s) not in ("done", "skipped") for s in path):
        assert ready


def test_up_next_offers_at_most_five_skills():
    path = ["python", "sql", "stats", "docker", "r", "k8s", "deploy"]
    statuses = {"docker": "done"}  # six skills are ready: Kubernetes and Deployment too
    assert up_next(path, statuses, SKILLS) == ["python", "sql", "stats", "r", "k8s"]
    assert len(up_next(path, statuses, SKILLS, limit=None)) == 6


def test_a_finished_path_is_one_hundred_percent_done_in_every_area():
    path = ["python", "sql", "stats", "docker"]
    summary = summarise(path, dict.fromkeys(path, "done"), SKILLS)
    assert summary.percent_done == 100
    assert [percent for *_, percent in summary.areas] == [100, 100, 100]


def test_areas_at_the_same_place_in_the_catalogue_are_listed_by_name():
    skills = {
        "asr": SkillInfo("asr", "Speech recognition", "Speech", 5),
        "ocr": SkillInfo("ocr", "OCR", "Vision", 5),
        "tts": SkillInfo("tts", "Speech synthesis", "Speech", 5),
        "python": SKILLS["python"],
    }
    summary = summarise(["ocr", "asr", "tts", "python"], {"asr": "done"}, skills)
    assert summary.areas == [
        ("Programming", 0, 1, 0),
        ("Speech", 1, 2, 50),
        ("Vision", 0, 1, 0),
    ]


def test_skills_caught_in_a_prerequisite_cycle_are_listed_by_name():
    skills = {
        "metrics": SkillInfo("metrics", "Metrics", "Evaluation", 5, ("a-b-testing",)),
        "a-b-testing": SkillInfo(
            "a-b-testing", "Online experiments", "Evaluation", 5, ("metrics",)
        ),
    }
    roles = [RoleInfo("evaluator", "Evaluator", False, None, ("a-b-testing", "metrics"))]
    groups = compute_path(roles, skills, current=None, target="evaluator")
    assert slugs(groups) == [("evaluator", ["metrics", "a-b-testing"])]


def test_among_certifications_equally_close_to_a_role_the_one_covering_more_held_comes_first():
    from roadmap.path import fitting_certifications

    certs = [
        CertInfo("narrow", retired=False, skills=frozenset({"python"})),
        CertInfo("broad", retired=False, skills=frozenset({"python", "sql"})),
    ]
    held = {"python", "sql", "arch"}
    assert fitting_certifications(certs, "senior", own={"arch"}, held=held) == [
        ("broad", 2),
        ("narrow", 1),
    ]


def test_a_pace_of_exactly_fifty_years_still_gives_a_date_and_one_beyond_it_does_not():
    import datetime

    from roadmap.path import PACE_HORIZON_WEEKS, pace

    today = datetime.date(2026, 11, 29)
    horizon = PACE_HORIZON_WEEKS  # fifty years of weeks: 2600
    result = pace(["arch"], {"arch": (horizon, horizon + 1)}, 1, today)
    assert result.earliest == today + datetime.timedelta(weeks=2600)
    assert result.latest is None  # "more than 50 years"
