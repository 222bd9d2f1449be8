import csv
import io
import json

import pytest

from roadmap.models import Skill, SkillProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_progress(junior_to_senior, bob):
    for slug, status, note, evidence in [
        ("docker", "done", 'Built images, then "shipped", them', "https://ex.org/d"),
        ("rag", "learning", '=HYPERLINK("http://evil")', ""),
    ]:
        SkillProgress.objects.create(
            user=junior_to_senior,
            skill=Skill.objects.get(slug=slug),
            status=status,
            note=note,
            evidence_url=evidence,
        )
    SkillProgress.objects.create(user=bob, skill=Skill.objects.get(slug="sql"), note="Bob's")
    return junior_to_senior


def test_progress_exports_as_csv_with_notes_and_evidence(alice_client, some_progress):
    response = alice_client.get("/path/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["skill"], r["status"]) for r in rows] == [("rag", "learning"), ("docker", "done")]
    docker = rows[1]
    assert docker["note"] == 'Built images, then "shipped", them'
    assert docker["evidence_url"] == "https://ex.org/d"
    assert docker["completed_at"] == ""  # set only through the app's own tick
    # A note that looks like a formula is defused for spreadsheets.
    assert rows[0]["note"].startswith("'=HYPERLINK")
    assert "Bob's" not in response.content.decode()


def test_progress_exports_as_json(alice_client, some_progress):
    data = json.loads(alice_client.get("/path/export.json").content)
    assert data["format"] == "ai-roadmap-progress/1"
    assert {p["skill"]: p["note"] for p in data["progress"]} == {
        "docker": 'Built images, then "shipped", them',
        "rag": '=HYPERLINK("http://evil")',
    }


@pytest.mark.parametrize("url", ["/path/export.csv", "/path/export.json"])
def test_export_needs_sign_in(client, url):
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_an_unknown_export_format_is_404(alice_client):
    assert alice_client.get("/path/export.xml").status_code == 404
