import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from roadmap.catalogue import find_cycles
from roadmap.models import Certification, Role, SalaryBand, Skill, SkillArea, Source


def check():
    out = io.StringIO()
    call_command("check_catalogue", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_shipped_catalogue_has_no_problems():
    assert check().strip() == "The catalogue has no problems."


@pytest.mark.django_db
def test_it_reports_every_kind_of_problem_one_line_each():
    docker = Skill.objects.get(slug="docker")
    docker.prerequisites.add(Skill.objects.get(slug="kubernetes"))
    Skill.objects.create(
        slug="lonely", name="Lonely", area=SkillArea.objects.first(), summary="Nobody needs it."
    )
    Role.objects.create(slug="empty-role", title="Empty", kind="adjacent", summary="No skills.")
    Certification.objects.filter(slug="azure-ai-apps-agents-developer-associate").update(
        retires_on=datetime.date(2020, 1, 1)
    )
    SalaryBand.objects.filter(slug="junior-ai-engineer-us-median").update(source=None)

    out = io.StringIO()
    with pytest.raises(CommandError, match="5 problem"):
        call_command("check_catalogue", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "Prerequisite cycle: docker → kubernetes → docker",
        "Skill 'lonely' is needed by no role",
        "Role 'empty-role' has no skills",
        "Certification 'azure-ai-engineer-associate' names retired "
        "'azure-ai-apps-agents-developer-associate' as its successor",
        "Salary band 'junior-ai-engineer-us-median' has no source",
    ]


@pytest.mark.django_db
def test_deleting_a_source_leaves_its_salary_band_for_the_check_to_find():
    SalaryBand.objects.filter(slug="senior-ai-engineer-us-top-tech").update(
        source=Source.objects.get(slug="lakera-llm-hallucinations")
    )
    Source.objects.get(slug="lakera-llm-hallucinations").delete()
    with pytest.raises(CommandError):
        check()


def test_find_cycles_finds_self_loops_and_longer_cycles_and_nothing_in_a_tree():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert find_cycles({"a": {"a"}}) == [["a", "a"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert len(find_cycles({"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"x"}})) == 2
