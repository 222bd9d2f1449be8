import io
import json

import pytest
from django.core.management import CommandError, call_command

from roadmap.loading import fixture_paths
from roadmap.models import Certification, Role, Skill, Source


def load(*args):
    out = io.StringIO()
    call_command("load_catalogue", *args, stdout=out)
    return out.getvalue()


def write_fixture(path, records):
    path.write_text(json.dumps(records))
    return str(path)


def source_record(slug, **fields):
    base = {
        "slug": slug,
        "title": "A report",
        "publisher": "Someone",
        "url": "",
        "published_on": None,
        "checked_on": "2026-11-28",
        "kind": "third_party",
        "note": "",
    }
    return {"model": "roadmap.source", "fields": {**base, **fields}}


@pytest.mark.django_db
def test_it_loads_every_fixture_file_into_an_empty_database():
    Certification.objects.all().delete()
    Role.objects.all().delete()
    Skill.objects.all().delete()
    assert not Skill.objects.exists()
    output = load()
    assert "Added:" in output
    assert Role.objects.count() == 9
    assert Skill.objects.count() == 56
    assert Certification.objects.count() == 24


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so():
    output = load()
    assert "Added: 0" in output
    assert "Updated: 0" in output
    assert "Kept: 0" in output
    assert "Unchanged: " in output


@pytest.mark.django_db
def test_it_keeps_a_row_an_admin_edited_since_it_was_loaded():
    cert = Certification.objects.get(slug="google-professional-ml-engineer")
    cert.summary = "Edited by an admin."
    cert.save()
    output = load()
    assert "Kept: 1" in output
    assert "google-professional-ml-engineer" in output
    cert.refresh_from_db()
    assert cert.summary == "Edited by an admin."


@pytest.mark.django_db
def test_an_edit_to_a_relation_counts_as_an_admin_edit():
    skill = Skill.objects.get(slug="rag")
    skill.prerequisites.remove(Skill.objects.get(slug="context-window-management"))
    output = load()
    assert "Kept: 1" in output
    assert list(skill.prerequisites.values_list("slug", flat=True)) == ["prompt-engineering"]


@pytest.mark.django_db
def test_overwrite_replaces_an_admin_edit_with_the_fixture():
    cert = Certification.objects.get(slug="google-professional-ml-engineer")
    cert.summary = "Edited by an admin."
    cert.save()
    output = load("--overwrite")
    assert "Updated: 1" in output
    cert.refresh_from_db()
    assert cert.summary == "Designing and managing machine learning solutions on Google Cloud."
    # Once overwritten, the row counts as loaded again: a plain re-run leaves it alone.
    assert "Kept: 0" in load()


@pytest.mark.django_db
def test_a_changed_fixture_updates_a_row_nobody_edited(tmp_path):
    path = write_fixture(tmp_path / "s.json", [source_record("new-report")])
    assert "Added: 1" in load(path)
    path = write_fixture(tmp_path / "s.json", [source_record("new-report", title="Renamed")])
    assert "Updated: 1" in load(path)
    assert Source.objects.get(slug="new-report").title == "Renamed"


@pytest.mark.django_db
def test_a_row_created_by_hand_with_the_same_slug_is_kept(tmp_path):
    Source.objects.create(
        slug="hand-made", title="Mine", publisher="Me", checked_on="2026-11-01", kind="official"
    )
    path = write_fixture(tmp_path / "s.json", [source_record("hand-made")])
    assert "Kept: 1" in load(path)
    assert Source.objects.get(slug="hand-made").title == "Mine"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("[{not json", "broken.json"),
        (
            json.dumps([source_record("bad-kind", kind="rumour")]),
            "broken.json, record 1 (roadmap.source): kind",
        ),
        (
            json.dumps(
                [
                    source_record("fine-one"),
                    {
                        "model": "roadmap.skill",
                        "fields": {
                            "slug": "orphan",
                            "name": "Orphan",
                            "area": ["no-such-area"],
                            "summary": "x",
                        },
                    },
                ]
            ),
            "broken.json, record 2",
        ),
        (json.dumps([source_record("no-date", checked_on=None)]), "checked_on"),
    ],
)
@pytest.mark.django_db
def test_a_broken_fixture_names_the_file_and_record_and_loads_nothing(tmp_path, broken, message):
    good = write_fixture(tmp_path / "a_good.json", [source_record("from-the-good-file")])
    bad = tmp_path / "broken.json"
    bad.write_text(broken)
    with pytest.raises(CommandError) as excinfo:
        load(good, str(bad))
    assert message in str(excinfo.value)
    assert "nothing was changed" in str(excinfo.value)
    assert not Source.objects.filter(slug__in=["from-the-good-file", "fine-one"]).exists()


@pytest.mark.django_db
def test_a_fixture_with_a_prerequisite_cycle_is_refused(tmp_path):
    path = write_fixture(
        tmp_path / "cycle.json",
        [
            {
                "model": "roadmap.skill",
                "fields": {
                    "slug": "docker",
                    "name": "Docker",
                    "area": ["cloud-mlops"],
                    "summary": "Containers.",
                    "prerequisites": [["kubernetes"]],
                },
            }
        ],
    )
    with pytest.raises(CommandError, match="Prerequisite cycle: docker → kubernetes → docker"):
        load("--overwrite", path)
    assert not Skill.objects.get(slug="docker").prerequisites.exists()


def test_the_shipped_fixtures_are_found():
    names = [p.name for p in fixture_paths()]
    assert names == [
        "01_sources.json",
        "02_skills.json",
        "03_roles.json",
        "04_certifications.json",
        "05_resources.json",
        "06_claims.json",
        "07_facts_2026_12.json",
        "08_pay_2026_12.json",
        "09_checks_cloud-mlops.json",
        "09_checks_collaboration-leadership.json",
        "09_checks_data-engineering.json",
        "09_checks_llm-engineering.json",
        "09_checks_maths-statistics.json",
        "09_checks_ml-frameworks.json",
        "09_checks_programming.json",
        "09_checks_strategy-governance.json",
        "09_checks_trustworthy-ai.json",
    ]
