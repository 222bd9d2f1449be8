import datetime
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmap import importing
from roadmap.models import Skill, SkillProgress

from .helpers import statuses

pytestmark = pytest.mark.django_db

URL = IMPORT = "/path/import/"


def export(entries, indent=2):
    return json.dumps({"format": "ai-roadmap-progress/1", "progress": entries}, indent=indent)


GOOD = [
    {
        "skill": "docker",
        "status": "done",
        "note": "Shipped it",
        "evidence_url": "https://ex.org/1",
        "started_at": "2026-01-05T10:00:00+00:00",
        "completed_at": "2026-02-01T10:00:00+00:00",
    },
    {"skill": "rag", "status": "learning", "note": "", "evidence_url": ""},
]


def test_a_dry_run_shows_every_change_and_saves_nothing(alice_client, alice):
    SkillProgress.objects.create(
        user=alice, skill=Skill.objects.get(slug="docker"), status="learning"
    )
    response = alice_client.post(URL, {"data": export(GOOD), "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "What would change" in html
    assert "<td>Docker</td><td>Learning</td><td>Done</td><td>changes</td>" in html
    assert "<td>Retrieval-augmented generation (RAG)</td><td>—</td><td>Learning</td>" in html
    assert "Import 2 skills" in html
    assert statuses(alice) == {"docker": "learning"}


def test_applying_writes_everything(alice_client, alice):
    response = alice_client.post(URL, {"data": export(GOOD), "action": "apply"})
    assert response.status_code == 302
    assert statuses(alice) == {"docker": "done", "rag": "learning"}
    docker = SkillProgress.objects.get(user=alice, skill__slug="docker")
    assert (docker.note, docker.evidence_url) == ("Shipped it", "https://ex.org/1")
    assert docker.completed_at.isoformat() == "2026-02-01T10:00:00+00:00"


def test_an_export_round_trips_into_another_account(alice_client, alice, bob):
    from django.test import Client

    SkillProgress.objects.create(
        user=alice, skill=Skill.objects.get(slug="sql"), status="done", note="joins"
    )
    exported = alice_client.get("/path/export.json").content
    other = Client()
    other.force_login(bob)
    upload = SimpleUploadedFile("progress.json", exported, content_type="application/json")
    preview = other.post(URL, {"file": upload, "action": "preview"})
    assert "Import 1 skill" in preview.content.decode()
    other.post(URL, {"data": exported.decode(), "action": "apply"})
    assert SkillProgress.objects.get(user=bob, skill__slug="sql").note == "joins"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [*GOOD, {"skill": "basket-weaving", "status": "done"}],
            "Entry 3 (line 18): unknown skill 'basket-weaving'.",
        ),
        (
            [{"skill": "docker", "status": "mastered"}],
            "Entry 1 (line 4): unknown status 'mastered'.",
        ),
        (
            [{"skill": "docker", "evidence_url": "javascript:alert(1)"}],
            "Entry 1 (line 4): the evidence link must be an http or https address.",
        ),
        (
            [{"skill": "docker"}, {"skill": "docker"}],
            "Entry 2 (line 7): skill 'docker' appears twice.",
        ),
        (
            [{"skill": "docker", "started_at": "last tuesday"}],
            "Entry 1 (line 4): started_at is not a date and time.",
        ),
        (
            [{"skill": "docker", "note": "x" * 6000}],
            "Entry 1 (line 4): the note must be text of at most 5000 characters.",
        ),
        (
            [{"skill": "docker", "note": "x" * 5001}],
            "Entry 1 (line 4): the note must be text of at most 5000 characters.",
        ),
        (
            [{"skill": "docker", "note": "nul \x00 byte"}],
            "Entry 1 (line 4): the note must be text of at most 5000 characters.",
        ),
        (
            # The form would add https:// for a person typing; a file is taken as written.
            [{"skill": "docker", "evidence_url": "example.org/proof"}],
            "Entry 1 (line 4): the evidence link must be an http or https address.",
        ),
        (
            [{"skill": "docker", "evidence_url": "https://ex.org/" + "a" * 490}],
            "Entry 1 (line 4): the evidence link must be an http or https address.",
        ),
        (
            [{"skill": "docker", "hours_estimate": 0}],
            "Entry 1 (line 4): the estimate must be a whole number of hours, 1 to 2,000.",
        ),
        (
            [{"skill": "docker", "hours_estimate": 2001}],
            "Entry 1 (line 4): the estimate must be a whole number of hours, 1 to 2,000.",
        ),
        (
            [{"skill": "docker", "hours_estimate": "12"}],
            "Entry 1 (line 4): the estimate must be a whole number of hours, 1 to 2,000.",
        ),
        (["not an object"], "Entry 1 (line 4): not an object."),
        ([], "The file holds no entries."),
    ],
)
def test_bad_entries_are_reported_by_number_and_nothing_is_half_applied(
    alice_client, alice, entries, message
):
    for action in ("preview", "apply"):
        response = alice_client.post(URL, {"data": export(entries), "action": action})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Nothing was imported." in html
        assert message.replace("'", "&#x27;") in html
    assert statuses(alice) == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"progress": [', "Not valid JSON"),
        ("[1, 2]", "Not a progress export"),
        ('{"progress": "nope"}', "must be a list"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(alice_client, alice, data, message):
    response = alice_client.post(URL, {"data": data, "action": "apply"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert statuses(alice) == {}


def test_the_limits_themselves_are_accepted_and_a_note_is_kept_as_written(alice_client, alice):
    entries = [
        {
            "skill": "docker",
            "status": "learning",
            "note": "  indented\n" + "x" * 4988,
            "evidence_url": "https://ex.org/" + "a" * 485,
            "hours_estimate": 2000,
        },
        {"skill": "rag", "status": "learning", "hours_estimate": 1},
    ]
    response = alice_client.post(URL, {"data": export(entries), "action": "apply"})
    assert response.status_code == 302
    docker = SkillProgress.objects.get(user=alice, skill__slug="docker")
    assert docker.note == entries[0]["note"]
    assert len(docker.evidence_url) == 500
    assert docker.hours_estimate == 2000
    assert SkillProgress.objects.get(user=alice, skill__slug="rag").hours_estimate == 1


def test_import_needs_sign_in(client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_re_importing_an_identical_file_says_nothing_would_change(alice_client, alice):
    alice_client.post(URL, {"data": export(GOOD), "action": "apply"})
    exported = alice_client.get("/path/export.json").content.decode()
    response = alice_client.post(URL, {"data": exported, "action": "preview"})
    html = response.content.decode()
    assert "Nothing would change" in html
    assert "Import 2 skills" not in html


def test_a_csv_export_is_recognised_and_explained(alice_client, alice):
    csv_text = alice_client.get("/path/export.csv").content
    upload = SimpleUploadedFile("progress.csv", csv_text, content_type="text/csv")
    response = alice_client.post(URL, {"file": upload, "action": "preview"})
    assert response.status_code == 400
    assert "This is the CSV export" in response.content.decode()


def test_an_export_carries_roles_hours_and_plan_and_an_import_restores_them(
    alice_client, junior_to_senior, bob
):
    from django.test import Client

    from roadmap.models import Certification, CertificationProgress

    junior_to_senior.hours_per_week = 6
    junior_to_senior.save()
    CertificationProgress.objects.create(
        user=junior_to_senior,
        certification=Certification.objects.get(slug="aws-ml-engineer-associate"),
        status="planned",
    )
    exported = alice_client.get("/path/export.json").content.decode()
    data = json.loads(exported)
    assert data["profile"] == {
        "current_role": "junior-ai-engineer",
        "target_role": "senior-ai-engineer",
        "hours_per_week": 6,
    }
    assert data["certifications"][0]["status"] == "planned"

    other = Client()
    other.force_login(bob)
    preview = other.post(URL, {"data": exported, "action": "preview"}).content.decode()
    assert "<td>Where you want to go</td><td>—</td><td>Senior AI Engineer</td>" in preview
    assert "<td>Hours a week</td><td>—</td><td>6</td>" in preview
    assert (
        "AWS Certified Machine Learning Engineer – Associate</td><td>—</td><td>Planned" in preview
    )
    other.post(URL, {"data": exported, "action": "apply"})
    bob.refresh_from_db()
    assert (bob.current_role.slug, bob.target_role.slug, bob.hours_per_week) == (
        "junior-ai-engineer",
        "senior-ai-engineer",
        6,
    )
    assert CertificationProgress.objects.get(user=bob).status == "planned"
    again = other.post(URL, {"data": exported, "action": "preview"}).content.decode()
    assert "Nothing would change" in again


def test_a_bad_role_or_plan_stops_the_whole_import(alice_client, alice):
    data = json.dumps(
        {
            "progress": [{"skill": "docker", "status": "done"}],
            "profile": {"target_role": "astronaut"},
            "certifications": [{"certification": "aws-ml-specialty", "status": "planned"}],
        }
    )
    response = alice_client.post(URL, {"data": data, "action": "apply"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Profile: unknown role &#x27;astronaut&#x27;." in html
    assert "Certification 1 (AWS Certified Machine Learning – Specialty):" in html
    assert "retired" in html
    assert statuses(alice) == {}


def test_own_estimates_go_out_in_the_export_and_come_back_in(alice_client, alice):
    SkillProgress.objects.create(
        user=alice, skill=Skill.objects.get(slug="docker"), status="learning", hours_estimate=30
    )
    exported = alice_client.get("/path/export.json").content
    (row,) = json.loads(exported)["progress"]
    assert row["hours_estimate"] == 30
    SkillProgress.objects.filter(user=alice).update(hours_estimate=None)
    response = alice_client.post(URL, {"data": exported.decode(), "action": "apply"})
    assert response.status_code == 302
    assert SkillProgress.objects.get(user=alice).hours_estimate == 30


LONE = "\ud800"  # half of a surrogate pair: JSON can carry it as \ud800, no database can


@pytest.mark.parametrize(
    ("entry", "plan", "message"),
    [
        (
            {"note": f"Shipped {LONE} it"},
            None,
            "Entry 1 (line 4): note holds an unpaired surrogate",
        ),
        (
            {"evidence_url": f"https://ex.org/{LONE}"},
            None,
            "Entry 1 (line 4): evidence_url holds an unpaired",
        ),
        ({"skill": f"dock{LONE}"}, None, "Entry 1 (line 4): skill holds an unpaired"),
        ({"status": f"done{LONE}"}, None, "Entry 1 (line 4): status holds an unpaired"),
        (
            {"started_at": f"2026-01-05{LONE}"},
            None,
            "Entry 1 (line 4): started_at holds an unpaired",
        ),
        (
            {},
            {"credential_url": f"https://ex.org/{LONE}"},
            "Certification 1: credential_url holds",
        ),
        ({}, {"status": f"planned{LONE}"}, "Certification 1: status holds"),
        ({}, {"earned_on": f"2026-01-05{LONE}"}, "Certification 1: earned_on holds"),
        ({}, {"certification": f"aws{LONE}"}, "Certification 1: certification holds"),
        ({f"n{LONE}te": "x"}, None, "Entry 1 (line 4): 'n\\ud800te' holds"),
    ],
)
def test_a_lone_surrogate_in_any_field_is_refused_at_preview_naming_where(
    alice_client, alice, entry, plan, message
):
    from roadmap.models import CertificationProgress

    data = {
        "format": "ai-roadmap-progress/1",
        "progress": [{"skill": "docker", "status": "done", **entry}],
    }
    if plan is not None:
        data["certifications"] = [
            {"certification": "aws-ml-engineer-associate", "status": "planned", **plan}
        ]
    text = json.dumps(data, indent=2)  # ASCII: the surrogate travels as the escape \ud800
    assert "\\ud800" in text
    upload = SimpleUploadedFile("progress.json", text.encode(), content_type="application/json")
    response = alice_client.post(URL, {"file": upload, "action": "preview"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported." in html
    assert message.replace("'", "&#x27;") in html
    # Applying the same text is refused the same way: nothing is ever half saved.
    applied = alice_client.post(URL, {"data": text, "action": "apply"})
    assert applied.status_code == 400
    assert statuses(alice) == {}
    assert not CertificationProgress.objects.filter(user=alice).exists()


def test_a_lone_surrogate_in_the_profile_is_refused_naming_it(alice_client, alice):
    text = json.dumps(
        {
            "progress": [{"skill": "docker", "status": "done"}],
            "profile": {"target_role": "senior-ai-engineer", "hours_per_week": f"6{LONE}"},
        }
    )
    response = alice_client.post(URL, {"data": text, "action": "preview"})
    assert response.status_code == 400
    assert "Profile: hours_per_week holds an unpaired surrogate" in response.content.decode()
    assert statuses(alice) == {}


def test_a_surrogate_pair_is_a_character_and_imports(alice_client, alice):
    text = export([{"skill": "docker", "status": "done", "note": "Shipped \U0001f680"}])
    assert "\\ud83d\\ude80" in text
    assert alice_client.post(URL, {"data": text, "action": "apply"}).status_code == 302
    assert SkillProgress.objects.get(user=alice).note == "Shipped \U0001f680"


def skills():
    return {s.slug: s for s in Skill.objects.all()}


def test_a_file_at_the_size_cap_with_300000_entries_is_refused_at_once(alice_client, alice):
    text = '{"progress": [' + ",".join(["{}"] * 300_000) + "]}"
    assert len(text) < importing.MAX_BYTES
    started = time.perf_counter()
    entries, errors = importing.parse(text, skills())
    elapsed = time.perf_counter() - started
    assert entries == []
    assert errors == [
        "The file holds 300,000 entries; an import takes at most 2,000 (one per skill)."
    ]
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    response = alice_client.post(IMPORT, {"data": text, "action": "preview"})
    assert response.status_code == 400
    assert "at most 2,000" in response.content.decode()


def test_a_file_at_the_size_cap_with_the_most_entries_is_checked_well_under_a_second():
    # 2,000 entries padded to just under 1 MB, each on many lines: line numbers for all.
    note = "n" * 400
    entries = [
        {"skill": f"no-such-skill-{i}", "status": "done", "note": note} for i in range(2000)
    ]
    text = export(entries)
    assert len(text) < importing.MAX_BYTES
    started = time.perf_counter()
    _, errors = importing.parse(text, skills())
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    # The first errors are reported with their lines, the rest counted.
    assert len(errors) == importing.MAX_ERRORS + 1
    assert errors[0] == "Entry 1 (line 4): unknown skill 'no-such-skill-0'."
    assert errors[19].startswith("Entry 20 (line 99): ")
    assert errors[-1] == "… and 1,980 more entries with problems."


def test_line_numbers_are_right_for_compact_and_indented_files():
    entries = [{"skill": "docker", "status": "x"}, {"skill": "rag", "status": "y"}]
    _, errors = importing.parse(export(entries, indent=None), skills())
    assert [e.split(":")[0] for e in errors] == ["Entry 1 (line 1)", "Entry 2 (line 1)"]
    _, errors = importing.parse(export(entries), skills())
    assert [e.split(":")[0] for e in errors] == ["Entry 1 (line 4)", "Entry 2 (line 8)"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("9999-12-31T23:59:59-12:00", "must be between 1970-01-01 and tomorrow"),
        ("0001-01-01T00:00:00+01:00", "must be between 1970-01-01 and tomorrow"),
        ("1969-12-31T23:59:59+00:00", "must be between 1970-01-01 and tomorrow"),
        ("2999-01-01T00:00:00+00:00", "must be between 1970-01-01 and tomorrow"),
        ("2026-02-30T10:00:00+00:00", "is not a possible date and time"),
        ("2026-13-01T10:00:00+00:00", "is not a possible date and time"),
        ("2026-01-01T10:00:00+25:00", "is not a possible date and time"),
        ("2026-01-01T10:00:00+99:99", "is not a possible date and time"),
        ("last tuesday", "is not a date and time"),
    ],
)
def test_an_impossible_or_unreadable_time_is_refused_by_entry(alice_client, alice, value, problem):
    data = export([{"skill": "docker", "status": "done", "completed_at": value}])
    response = alice_client.post(IMPORT, {"data": data, "action": "apply"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Entry 1 (line 4): completed_at {problem}." in html
    assert not SkillProgress.objects.filter(user=alice).exists()


def test_a_sane_time_with_an_offset_is_stored_in_utc(alice_client, alice):
    data = export(
        [{"skill": "docker", "status": "done", "completed_at": "2026-03-01T08:00+02:00"}]
    )
    assert alice_client.post(IMPORT, {"data": data, "action": "apply"}).status_code == 302
    done = SkillProgress.objects.get(user=alice, skill__slug="docker").completed_at
    assert done == datetime.datetime(2026, 3, 1, 6, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"progress": [{"skill": "docker", "n": ' + "9" * 5000 + "}]}", "number"),
        ('{"progress": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ],
)
def test_huge_numbers_and_deep_nesting_are_refused_with_a_message(alice_client, text, message):
    response = alice_client.post(IMPORT, {"data": text, "action": "preview"})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_with_a_byte_order_mark_is_read(alice_client, alice):
    raw = "\ufeff".encode() + export([{"skill": "docker", "status": "done"}]).encode()
    upload = SimpleUploadedFile("progress.json", raw, content_type="application/json")
    response = alice_client.post(IMPORT, {"file": upload, "action": "preview"})
    assert response.status_code == 200
    assert "Import 1 skill" in response.content.decode()


def test_a_file_that_is_not_utf8_is_refused_not_garbled(alice_client, alice):
    entries = [{"skill": "docker", "status": "done", "note": "café"}]
    raw = json.dumps({"progress": entries}, ensure_ascii=False).encode("latin-1")
    upload = SimpleUploadedFile("progress.json", raw, content_type="application/json")
    response = alice_client.post(IMPORT, {"file": upload, "action": "apply"})
    assert response.status_code == 400
    assert "not UTF-8 text" in response.content.decode()
    assert not SkillProgress.objects.filter(user=alice).exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(alice_client):
    response = alice_client.generic(
        "POST",
        IMPORT,
        b"x" * 1_200_000,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_an_import_just_under_the_cap_is_accepted(alice_client, alice):
    entries = [{"skill": "docker", "status": "done", "note": "n" * 4000}]
    raw = export(entries).encode().ljust(importing.MAX_BYTES - 10, b" ")
    upload = SimpleUploadedFile("progress.json", raw, content_type="application/json")
    response = alice_client.post(IMPORT, {"file": upload, "action": "preview"})
    assert response.status_code == 200
    assert "Import 1 skill" in response.content.decode()
