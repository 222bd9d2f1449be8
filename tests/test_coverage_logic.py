"""The team matrix computed from plain data (accounts.coverage.build_coverage): no database,
no request. The catalogue is a small graph of infos; members are plain `Member`s."""

from types import SimpleNamespace

from accounts.coverage import Member, build_coverage
from accounts.forms import TeamFilterForm
from roadmap.path import RoleInfo, SkillInfo

SKILLS = {
    s.slug: s
    for s in [
        SkillInfo("python", "Python", "Programming", 1),
        SkillInfo("sql", "SQL", "Programming", 1),
        SkillInfo("docker", "Docker", "Ops", 2),
        SkillInfo("k8s", "Kubernetes", "Ops", 2),
        SkillInfo("ethics", "Ethics", "Trust", 3),
    ]
}
ENGINEER = RoleInfo("engineer", "Engineer", True, 1, ("python", "sql", "docker"), frozenset())
# The lead adds Kubernetes and recommends it: a recommended skill is never a gap.
LEAD = RoleInfo("lead", "Lead", True, 2, ("k8s",), frozenset({"k8s"}))
ETHICIST = RoleInfo("ethicist", "Ethicist", False, None, ("ethics", "python"))
GRAPH = SimpleNamespace(
    role_infos=[ENGINEER, LEAD, ETHICIST],
    skill_infos=SKILLS,
    skills={slug: f"<skill {slug}>" for slug in SKILLS},  # what the matrix links to
)


def member(number, name="", target=None, **statuses):
    return Member(
        SimpleNamespace(user_id=number),
        name,
        target,
        {slug: (status, None) for slug, status in statuses.items()},
    )


def line(coverage, slug):
    (found,) = [x for x in coverage.skills if x.skill == f"<skill {slug}>"]
    return found


def words(found):
    return [cell[2] for cell in found.cells]


def test_a_core_skill_nobody_has_done_says_nobody_has_it():
    coverage = build_coverage(LEAD, [member(1, python="done"), member(2)], GRAPH)

    assert line(coverage, "sql").warning == "Nobody has it"
    assert line(coverage, "docker").done == 0


def test_a_core_skill_one_person_has_done_says_only_one_person_has_it():
    coverage = build_coverage(LEAD, [member(1, python="done"), member(2)], GRAPH)

    assert line(coverage, "python").warning == "Only one person has it"
    assert line(coverage, "python").done == 1


def test_two_people_with_it_or_a_recommended_skill_carry_no_warning():
    team = [member(1, python="done"), member(2, python="done", k8s="learning")]
    coverage = build_coverage(LEAD, team, GRAPH)

    assert line(coverage, "python").warning == ""
    assert line(coverage, "k8s").core is False
    assert line(coverage, "k8s").warning == ""  # nobody has it, but it is only recommended


def test_against_the_teams_role_every_member_gets_a_cell_and_a_percentage():
    team = [member(1, "Ada", python="done", sql="done"), member(2, docker="learning")]
    coverage = build_coverage(ENGINEER, team, GRAPH)

    assert [s.skill for s in coverage.skills] == [
        "<skill python>",
        "<skill sql>",
        "<skill docker>",
    ]
    assert words(line(coverage, "docker")) == ["Not started", "Learning"]
    assert [(m.name, m.reference_percent) for m in coverage.members] == [
        ("Ada", 66),
        ("Member 2", 0),
    ]
    assert [area for area, _ in coverage.areas] == ["Programming", "Ops"]


def test_against_each_members_target_a_skill_outside_it_is_not_asked_unless_they_did_it():
    team = [
        member(1, "Ada", ETHICIST, ethics="done", docker="done"),
        member(2, "Bo", ENGINEER, python="done"),
    ]
    coverage = build_coverage(ENGINEER, team, GRAPH, measure="target")

    assert words(line(coverage, "ethics")) == ["Done", "Not in their target"]
    assert words(line(coverage, "docker")) == ["Done (not in their target)", "Not started"]
    # Counts and warnings count the same people the cells show.
    assert line(coverage, "docker").done == 1
    assert [(m.name, m.target_percent) for m in coverage.members] == [("Ada", 50), ("Bo", 33)]
    # The plan above the matrix stays measured against the team's role.
    assert coverage.reference_skills == ["python", "sql", "docker"]


def test_members_are_ordered_as_asked():
    team = [
        member(1, "cy", python="done"),
        member(2, "Ada"),
        member(3, "bea", python="done", sql="done"),
    ]

    def names(order):
        return [m.name for m in build_coverage(ENGINEER, team, GRAPH, order=order).members]

    assert names("joined") == ["cy", "Ada", "bea"]
    assert names("name") == ["Ada", "bea", "cy"]
    assert names("progress") == ["bea", "cy", "Ada"]


def test_the_filters_keep_an_area_a_status_or_only_the_gaps():
    team = [member(1, python="done", docker="learning"), member(2, python="done")]
    coverage = build_coverage(ENGINEER, team, GRAPH)

    def kept(**query):
        form = TeamFilterForm(query, areas=["Programming", "Ops"])
        assert form.is_valid()
        return [s.skill for s in coverage.skills if form.keep(s)]

    assert kept(area="Ops") == ["<skill docker>"]
    assert kept(status="learning") == ["<skill docker>"]
    assert kept(gaps="on") == ["<skill sql>", "<skill docker>"]


def test_done_and_checked_is_told_apart_from_done_on_ones_word_in_cells_and_counts():
    checked = member(1, "Ada", python="done", sql="done")
    checked.checked = {"python", "docker"}  # docker: passed the check, but not marked done
    team = [checked, member(2, "Bo", python="done"), member(3, "Cy", docker="learning")]
    coverage = build_coverage(ENGINEER, team, GRAPH)

    assert words(line(coverage, "python")) == ["Done, checked", "Done", "Not started"]
    assert (line(coverage, "python").done, line(coverage, "python").checked) == (2, 1)
    assert words(line(coverage, "sql"))[0] == "Done"
    assert line(coverage, "sql").checked == 0
    # A check passed does not make a skill done: the learner decides that.
    assert words(line(coverage, "docker")) == ["Not started", "Not started", "Learning"]
    assert "cell-checked" in line(coverage, "python").cells_html
    # Still a done cell for the status filter.
    form = TeamFilterForm({"status": "done"}, areas=["Programming", "Ops", "Trust"])
    assert form.is_valid() and form.keep(line(coverage, "python"))


def test_by_progress_against_each_members_target_the_furthest_towards_their_own_comes_first():
    team = [
        member(1, "Bo", ENGINEER, python="done"),  # 33 % of the team's role and of his target
        member(2, "Ada", ETHICIST, ethics="done"),  # 0 % of the team's role, 50 % of hers
        member(3, "Dee", ETHICIST),  # 0 % of both
        member(4, "Cy"),  # no target: nothing done towards one
    ]

    def names(measure):
        coverage = build_coverage(ENGINEER, team, GRAPH, measure=measure, order="progress")
        return [m.name for m in coverage.members]

    assert names("target") == ["Ada", "Bo", "Dee", "Cy"]
    assert names("reference") == ["Bo", "Ada", "Dee", "Cy"]


def test_a_target_with_no_skills_yet_is_zero_percent_and_no_target_has_no_percentage():
    newcomer = RoleInfo("newcomer", "Newcomer", False, None, ())
    graph = SimpleNamespace(**{**vars(GRAPH), "role_infos": [*GRAPH.role_infos, newcomer]})
    team = [member(1, "Ada", newcomer, python="done"), member(2, "Bo", python="done")]
    coverage = build_coverage(newcomer, team, graph, measure="target")

    assert [(m.name, m.reference_percent, m.target_percent) for m in coverage.members] == [
        ("Ada", 0, 0),
        ("Bo", 0, None),
    ]
    assert coverage.skills == []


def test_a_skills_row_holds_one_cell_per_member_with_its_mark_and_word():
    team = [member(1, "Ada"), member(2, "Bo", docker="learning")]
    coverage = build_coverage(ENGINEER, team, GRAPH)

    assert line(coverage, "docker").cells_html == (
        '<td class="cell-not_started"><span aria-hidden="true">·</span> Not started</td>'
        '<td class="cell-learning"><span aria-hidden="true">◐</span> Learning</td>'
    )


def test_a_skill_checked_outside_someones_target_says_both():
    ada = member(1, "Ada", ETHICIST, docker="done", python="done")
    ada.checked = {"docker", "python"}
    coverage = build_coverage(ENGINEER, [ada, member(2, "Bo", ENGINEER)], GRAPH, measure="target")

    assert words(line(coverage, "docker")) == [
        "Done, checked (not in their target)",
        "Not started",
    ]
    assert words(line(coverage, "python")) == ["Done, checked", "Not started"]
    assert line(coverage, "docker").checked == 1


def test_by_progress_one_skill_of_sixty_comes_before_none():
    many = {f"skill-{n}": SkillInfo(f"skill-{n}", f"Skill {n}", "Breadth", 9) for n in range(60)}
    generalist = RoleInfo("generalist", "Generalist", False, None, tuple(many))
    graph = SimpleNamespace(
        role_infos=[generalist], skill_infos=many, skills={s: f"<skill {s}>" for s in many}
    )
    team = [member(1, "Ada", generalist), member(2, "Bo", generalist, **{"skill-0": "done"})]
    coverage = build_coverage(generalist, team, graph, order="progress")

    assert [(m.name, m.reference_percent) for m in coverage.members] == [("Bo", 1), ("Ada", 0)]


def test_by_name_a_user_name_with_an_underscore_sorts_as_with_a_space_before_letters():
    team = [member(1, "adam"), member(2, "Ada_Lovelace"), member(3, "ada")]
    coverage = build_coverage(ENGINEER, team, GRAPH, order="name")

    assert [m.name for m in coverage.members] == ["ada", "Ada_Lovelace", "adam"]
