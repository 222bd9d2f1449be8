import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError

from roadmap.loading import find_cycles
from roadmap.models import Certification, Claim, Role, Skill, SkillArea, Source


def check():
    out = io.StringIO()
    call_command("check_catalogue", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_shipped_catalogue_has_no_problems_and_lists_its_conflicts():
    lines = check().strip().splitlines()
    assert lines[-1] == "The catalogue has no problems."
    assert lines[0] == "11 fact(s) where sources disagree:"
    assert (
        "  Conflict: AWS Certified Machine Learning Engineer – Associate: Exam length: "
        "130 minutes (jayendrapatil-mla-c01); 130 minutes (examsnap-mla-c01); "
        "170 minutes (cloudaqube-aws-genai-certification)"
    ) in lines
    # Settled by the Digital Omnibus; exam time and seat time are one rule.
    assert not any("EU AI Act" in line or "Azure AI Engineer" in line for line in lines)


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
    lines = [line for line in out.getvalue().splitlines() if not line.startswith(("  ", "11 "))]
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


def settle(claim_slug, **source_fields):
    """A newer claim with another value for the same fact as `claim_slug`."""
    old = Claim.objects.get(slug=claim_slug)
    source = Source.objects.create(
        slug="newer",
        title="Newer",
        publisher="P",
        checked_on=datetime.date(2026, 12, 1),
        **source_fields,
    )
    return old, Claim.objects.create(
        slug="newer-claim",
        skill=old.skill,
        certification=old.certification,
        attribute=old.attribute,
        topic=old.topic,
        on_date=datetime.date(2030, 1, 1),
        source=source,
    )


@pytest.mark.django_db
def test_it_fails_on_a_dispute_that_a_change_settled_but_the_old_claim_is_not_marked():
    old, new = settle("eu-ai-act-high-risk-omnibus-pubaffairs", kind="third_party")
    # A second change recorded for the fact, while the other current claims stay unmarked.
    Claim.objects.filter(pk=new.pk).update(
        supersedes=old, change="A later act", on_date=datetime.date(2030, 1, 1)
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_catalogue", stdout=out)
    (line,) = [line for line in out.getvalue().splitlines() if line.startswith("Settled")]
    assert line.startswith(
        "Settled dispute still shown as one: EU AI Act obligations: Applies from "
        "(High-risk obligations (Annex III systems)): A later act changed it to 1 Jan 2030, but "
    )
    assert line.endswith(
        "but 2 Dec 2027 (tzun-eu-ai-act); 2 Dec 2027 (thomasmoreai-ai-act-timeline) "
        "is not marked as superseded"
    )


@pytest.mark.django_db
def test_it_reports_every_dispute_a_change_settled_not_only_the_first():
    old, new = settle("eu-ai-act-high-risk-omnibus-pubaffairs", kind="third_party")
    Claim.objects.filter(pk=new.pk).update(
        supersedes=old, change="A later act", on_date=datetime.date(2030, 1, 1)
    )
    # A later fact of the same law: a date replaced by a change, beside a report of another.
    marking = Claim.objects.get(slug="eu-ai-act-marking-grace-pubaffairs")
    earlier = Claim.objects.create(
        slug="marking-earlier",
        skill=marking.skill,
        attribute=marking.attribute,
        topic=marking.topic,
        on_date=datetime.date(2026, 8, 2),
        source=Source.objects.get(slug="gfmd-eu-ai-act-documents"),
    )
    Claim.objects.create(
        slug="marking-later",
        skill=marking.skill,
        attribute=marking.attribute,
        topic=marking.topic,
        on_date=datetime.date(2027, 6, 1),
        source=Source.objects.get(slug="thomasmoreai-ai-act-timeline"),
        supersedes=earlier,
        change="Another act",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("check_catalogue", stdout=out)
    settled = [line for line in out.getvalue().splitlines() if line.startswith("Settled")]
    assert [line.split("): ")[-1].split(" changed")[0] for line in settled] == [
        "A later act",
        "Another act",
    ]


@pytest.mark.django_db
def test_it_fails_on_a_dispute_that_a_later_official_source_settled():
    old = Claim.objects.get(slug="aws-genai-developer-professional-launch-mamezou-aip-c01")
    # mamezou's date was published on 20 Apr 2026; mangham gives "March 2026" undated.
    Source.objects.filter(slug="mangham-aip-c01").update(published_on=datetime.date(2026, 3, 1))
    source = Source.objects.create(
        slug="aws-news",
        title="AWS news",
        publisher="AWS",
        kind="official",
        published_on=datetime.date(2026, 5, 1),
        checked_on=datetime.date(2026, 12, 1),
    )
    Claim.objects.create(
        slug="aws-news-launch",
        certification=old.certification,
        attribute=old.attribute,
        on_date=datetime.date(2026, 4, 14),
        source=source,
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_catalogue", stdout=out)
    assert "official aws-news (published 01 May 2026) states 14 Apr 2026, after every source" in (
        out.getvalue()
    )
    # Marking the older report as superseded by the official claim settles it.
    Claim.objects.filter(slug="aws-news-launch").update(
        supersedes=Claim.objects.get(
            slug="aws-genai-developer-professional-launch-mangham-aip-c01"
        ),
        change="AWS's announcement",
    )
    assert check().strip().splitlines()[-1] == "The catalogue has no problems."


def official_launch_news(slug, published_on):
    """An official source, published on that day, stating the AIP-C01 launch date."""
    old = Claim.objects.get(slug="aws-genai-developer-professional-launch-mamezou-aip-c01")
    source = Source.objects.create(
        slug=slug,
        title=slug,
        publisher="AWS",
        kind="official",
        published_on=published_on,
        checked_on=datetime.date(2026, 12, 1),
    )
    Claim.objects.create(
        slug=f"{slug}-launch",
        certification=old.certification,
        attribute=old.attribute,
        on_date=datetime.date(2026, 4, 14),
        source=source,
    )


@pytest.mark.django_db
def test_it_names_the_newest_official_source_that_settled_a_dispute():
    Source.objects.filter(slug="mangham-aip-c01").update(published_on=datetime.date(2026, 3, 1))
    rumour = Source.objects.create(
        slug="early-rumour",
        title="Early rumour",
        publisher="A blog",
        kind="third_party",
        published_on=datetime.date(2026, 2, 1),
        checked_on=datetime.date(2026, 12, 1),
    )
    launch = Claim.objects.get(slug="aws-genai-developer-professional-launch-mangham-aip-c01")
    Claim.objects.create(
        slug="early-rumour-launch",
        certification=launch.certification,
        attribute=launch.attribute,
        on_date=datetime.date(2026, 4, 1),
        source=rumour,
    )
    # Two official sources state the date each report came before: the newer one is named.
    official_launch_news("aws-blog", datetime.date(2026, 4, 25))
    official_launch_news("aws-news", datetime.date(2026, 5, 1))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_catalogue", stdout=out)
    (line,) = [line for line in out.getvalue().splitlines() if line.startswith("Settled")]
    assert line.endswith(
        "official aws-news (published 01 May 2026) states 14 Apr 2026, after every source of "
        "March 2026 (mangham-aip-c01); 1 Apr 2026 (early-rumour)"
    )


@pytest.mark.parametrize("published_on", [None, datetime.date(2026, 5, 1)])
@pytest.mark.django_db
def test_a_report_undated_or_from_the_same_day_keeps_the_dispute_open(published_on):
    Source.objects.filter(slug="mangham-aip-c01").update(published_on=published_on)
    official_launch_news("aws-news", datetime.date(2026, 5, 1))
    lines = check().strip().splitlines()
    assert lines[-1] == "The catalogue has no problems."
    assert lines[0] == "11 fact(s) where sources disagree:"


@pytest.mark.django_db
def test_it_fails_on_a_source_whose_title_or_note_says_not_recorded():
    Source.objects.filter(slug="tzun-eu-ai-act").update(
        title="EU AI Act (page title not recorded)"
    )
    Source.objects.filter(slug="devto-ai-102-renewal").update(note="The link was not recorded.")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("check_catalogue", stdout=out)
    assert "Source 'tzun-eu-ai-act' says in its title that the title was not recorded" in (
        out.getvalue()
    )
    assert "Source 'devto-ai-102-renewal' has a link but its note says none was recorded" in (
        out.getvalue()
    )
