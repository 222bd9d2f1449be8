import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError

from roadmap.catalogue import find_cycles
from roadmap.models import Certification, Claim, Role, Skill, SkillArea, Source


def check():
    out = io.StringIO()
    call_command("check_catalogue", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_shipped_catalogue_has_no_problems_and_lists_its_conflicts():
    lines = check().strip().splitlines()
    assert lines[-1] == "The catalogue has no problems."
    assert lines[0] == "8 fact(s) where sources disagree:"
    assert (
        "  Conflict: AWS Certified Machine Learning Engineer – Associate: Exam length: "
        "130 minutes (jayendrapatil-mla-c01); 130 minutes (examsnap-mla-c01); "
        "170 minutes (cloudaqube-aws-genai-certification)"
    ) in lines
    assert any(
        line.startswith("  Conflict: EU AI Act obligations: Applies from") for line in lines
    )


@pytest.mark.django_db
def test_it_reports_every_kind_of_problem_one_line_each():
    docker = Skill.objects.get(slug="docker")
    docker.prerequisites.add(Skill.objects.get(slug="kubernetes"))
    lonely = Skill.objects.create(
        slug="lonely", name="Lonely", area=SkillArea.objects.first(), summary="Nobody needs it."
    )
    for n in (1, 2):
        lonely.resources.create(title=f"R{n}", url=f"https://example.org/{n}", kind="course")
    lonely.effort_hours_low = lonely.effort_hours_high = 5
    lonely.save()
    Role.objects.create(slug="empty-role", title="Empty", kind="adjacent", summary="No skills.")
    Certification.objects.filter(slug="azure-ai-apps-agents-developer-associate").update(
        retires_on=datetime.date(2020, 1, 1)
    )

    out = io.StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("check_catalogue", stdout=out)
    # Skills the research has not yet found a second resource for are left out here:
    # test_resources.py and the report name them.
    lines = [
        line
        for line in out.getvalue().splitlines()
        if not line.startswith(("  ", "8 ")) and "learning resource" not in line
    ]
    assert lines == [
        "Prerequisite cycle: docker → kubernetes → docker",
        "Skill 'lonely' is needed by no role",
        "Role 'empty-role' has no skills",
        "Certification 'azure-ai-engineer-associate' names retired "
        "'azure-ai-apps-agents-developer-associate' as its successor",
    ]


@pytest.mark.django_db
def test_a_source_that_claims_rest_on_cannot_be_deleted():
    source = Source.objects.get(slug="bls-ooh-database-administrators")
    with pytest.raises(ProtectedError):
        source.delete()
    assert Claim.objects.filter(source=source).count() == 2


@pytest.mark.django_db
def test_it_fails_on_a_skill_without_an_estimate_or_with_fewer_than_two_resources():
    docker = Skill.objects.get(slug="docker")
    docker.effort_hours_low = docker.effort_hours_high = None
    docker.save()
    python = Skill.objects.get(slug="python")
    python.resources.all().delete()
    sql = Skill.objects.get(slug="sql")
    sql.resources.exclude(pk=sql.resources.first().pk).delete()

    out = io.StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("check_catalogue", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Skill 'docker' has no hours estimate" in lines
    assert "Skill 'python' has 0 learning resources; it needs at least 2" in lines
    assert "Skill 'sql' has 1 learning resource; it needs at least 2" in lines


def test_find_cycles_finds_self_loops_and_longer_cycles_and_nothing_in_a_tree():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert find_cycles({"a": {"a"}}) == [["a", "a"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert len(find_cycles({"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"x"}})) == 2
