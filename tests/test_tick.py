import re

import pytest
from django.test import Client
from django.urls import reverse

from roadmap.models import Certification, CertificationProgress, Skill, SkillProgress

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/path/"}


def status_url(slug="docker"):
    return reverse("roadmap:skill_status", args=[slug])


def note_url(slug="docker"):
    return reverse("roadmap:skill_note", args=[slug])


def progress(user, slug="docker"):
    return SkillProgress.objects.get(user=user, skill__slug=slug)


def test_without_javascript_a_tick_redirects_back_to_the_same_row(alice_client, junior_to_senior):
    response = alice_client.post(status_url(), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"] == "/path/#skill-docker"
    assert progress(junior_to_senior).status == "done"
    html = alice_client.get("/path/").content.decode()
    row = html[html.index('id="skill-docker"') :]
    assert 'value="docker:done" aria-pressed="true"' in row[: row.index("</li>")]


def test_with_htmx_a_tick_returns_the_row_and_the_summary_out_of_band(
    alice_client, junior_to_senior
):
    response = alice_client.post(status_url(), {"status": "done"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        '<li id="skill-docker" class="path-skill status-done" hx-swap-oob="true">'
    )
    assert '<section id="progress-summary"' in html
    assert 'hx-swap-oob="true"' in html
    assert '<dd id="count-done">1</dd>' in html
    assert '<section id="up-next"' in html
    assert "<html" not in html


def test_a_repeated_tick_sets_the_same_state_and_keeps_one_row(alice_client, junior_to_senior):
    for _ in range(3):
        alice_client.post(status_url(), {"status": "done"}, headers=HTMX)
    assert SkillProgress.objects.filter(user=junior_to_senior).count() == 1
    assert progress(junior_to_senior).status == "done"


def test_times_follow_the_status(alice_client, junior_to_senior):
    alice_client.post(status_url(), {"status": "learning"})
    row = progress(junior_to_senior)
    assert row.started_at is not None
    assert row.completed_at is None
    alice_client.post(status_url(), {"status": "done"})
    row.refresh_from_db()
    started = row.started_at
    assert row.completed_at is not None
    alice_client.post(status_url(), {"status": "learning"})
    row.refresh_from_db()
    assert row.completed_at is None
    assert row.started_at == started


def test_a_skill_ticked_once_counts_on_every_role_that_needs_it(alice_client, junior_to_senior):
    alice_client.post(status_url("docker"), {"status": "done"})
    html = alice_client.get("/path/").content.decode()
    assert '<dd id="count-done">1</dd>' in html
    junior_to_senior.current_role = None
    junior_to_senior.target_role_id = (
        Skill.objects.get(slug="docker").role_skills.get(role__slug="ml-engineer").role_id
    )
    junior_to_senior.save()
    html = alice_client.get("/path/").content.decode()
    assert '<dd id="count-done">1</dd>' in html


def test_an_unknown_skill_is_404(alice_client):
    assert alice_client.post(status_url("no-such-skill"), {"status": "done"}).status_code == 404


@pytest.mark.parametrize("value", ["", "finished", "DONE", "x" * 10000])
def test_an_invalid_status_is_400_with_a_message_and_saves_nothing(
    alice_client, junior_to_senior, value
):
    alice_client.post(status_url(), {"status": "learning"})
    response = alice_client.post(status_url(), {"status": value})
    assert response.status_code == 400
    assert "Choose a status" in response.content.decode()
    assert progress(junior_to_senior).status == "learning"


def test_an_invalid_status_over_htmx_goes_to_the_alert_region(alice_client, junior_to_senior):
    response = alice_client.post(status_url(), {"status": "nope"}, headers=HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#htmx-alert"
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("url", [status_url(), reverse("roadmap:path_status")])
def test_get_on_a_write_endpoint_is_405(alice_client, url):
    assert alice_client.get(url).status_code == 405


def test_not_signed_in_redirects_to_sign_in(client):
    response = client.post(status_url(), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not SkillProgress.objects.exists()


def test_not_signed_in_over_htmx_gets_an_hx_redirect(client):
    response = client.post(status_url(), {"status": "done"}, headers=HTMX)
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fpath%2F"
    assert not SkillProgress.objects.exists()


def test_csrf_is_enforced_on_ticks(alice):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(status_url(), {"status": "done"}, headers=HTMX).status_code == 403
    page = strict.get("/path/")
    token = page.cookies["csrftoken"].value
    response = strict.post(
        status_url(), {"status": "done"}, headers={**HTMX, "X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_one_user_cannot_see_or_change_another_users_progress(alice_client, bob, alice):
    SkillProgress.objects.create(user=bob, skill=Skill.objects.get(slug="docker"), note="Bob's")
    alice_client.post(status_url(), {"status": "skipped"})
    alice_client.post(note_url(), {"note": "Alice's note", "evidence_url": ""})
    bobs = progress(bob)
    assert (bobs.status, bobs.note) == ("not_started", "Bob's")
    assert progress(alice).note == "Alice's note"
    assert "Bob's" not in alice_client.get("/path/").content.decode()


def test_a_note_and_evidence_are_saved(alice_client, junior_to_senior):
    response = alice_client.post(
        note_url(), {"note": "Containerised my app", "evidence_url": "https://example.org/repo"}
    )
    assert response.status_code == 302
    row = progress(junior_to_senior)
    assert (row.note, row.evidence_url) == ("Containerised my app", "https://example.org/repo")
    assert row.status == "not_started"
    html = alice_client.get("/path/").content.decode()
    row = html[html.index('id="skill-docker"') :]
    row = row[: row.index('id="skill-', 20)]
    assert re.search(r'class="note-link"[^>]*>Edit note</a>', row)
    assert "Containerised my app" in alice_client.get(note_url()).content.decode()


@pytest.mark.parametrize(
    "evidence", ["javascript:alert(1)", "ftp://example.org/file", "data:text/html,hi", "http://"]
)
def test_evidence_that_is_not_a_web_link_is_refused_and_nothing_saved_is_lost(
    alice_client, junior_to_senior, evidence
):
    alice_client.post(note_url(), {"note": "Saved before", "evidence_url": "https://ok.example"})
    for headers in ({}, HTMX):
        response = alice_client.post(
            note_url(), {"note": "New text", "evidence_url": evidence}, headers=headers
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Enter a web address starting with http:// or https://." in html
        # What was typed comes back, so it can be corrected instead of retyped.
        assert "New text" in html
    row = progress(junior_to_senior)
    assert (row.note, row.evidence_url) == ("Saved before", "https://ok.example")


def test_a_retired_certification_cannot_be_newly_planned(alice_client, alice):
    url = reverse("roadmap:certification_plan", args=["aws-ml-specialty"])
    response = alice_client.post(url, {"status": "planned"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is retired and can no longer be earned" in html
    assert "AWS Certified Machine Learning Engineer – Associate" in html
    assert not CertificationProgress.objects.exists()


def test_a_retired_certification_already_earned_stays_earned(alice_client, junior_to_senior):
    cert = Certification.objects.get(slug="aws-ml-specialty")
    CertificationProgress.objects.create(
        user=junior_to_senior, certification=cert, status="earned", earned_on="2025-05-01"
    )
    url = reverse("roadmap:certification_plan", args=["aws-ml-specialty"])
    assert alice_client.post(url, {"status": "earned"}).status_code == 302
    html = alice_client.get("/path/").content.decode()
    plan = html[html.index("My certification plan") :]
    # Saving it again from the plan form keeps the date it was earned.
    assert "<strong>Earned</strong> on 1 May 2025" in plan
    assert "can no longer be earned" not in plan


def test_a_certification_can_be_planned_earned_and_removed(alice_client, alice):
    url = reverse("roadmap:certification_plan", args=["google-professional-ml-engineer"])
    assert alice_client.post(url, {"status": "planned"}).status_code == 302
    assert CertificationProgress.objects.get(user=alice).status == "planned"
    alice_client.post(
        url,
        {
            "status": "earned",
            "earned_on": "2026-10-01",
            "credential_url": "https://creds.example/1",
        },
    )
    plan = CertificationProgress.objects.get(user=alice)
    assert (plan.status, str(plan.earned_on), plan.credential_url) == (
        "earned",
        "2026-10-01",
        "https://creds.example/1",
    )
    alice_client.post(url, {"status": "remove"})
    assert not CertificationProgress.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"status": "mastered"},
        {"status": "earned", "earned_on": "2999-01-01"},
        {"status": "earned", "credential_url": "javascript:alert(1)"},
        {"status": "earned", "earned_on": "yesterday"},
    ],
)
def test_bad_certification_input_is_a_400(alice_client, alice, data):
    url = reverse("roadmap:certification_plan", args=["google-professional-ml-engineer"])
    assert alice_client.post(url, data).status_code == 400
    assert not CertificationProgress.objects.exists()


def test_the_path_page_form_sets_a_status_with_one_button(alice_client, junior_to_senior):
    url = reverse("roadmap:path_status")
    response = alice_client.post(url, {"set": "docker:learning"})
    assert response["Location"] == "/path/#skill-docker"
    assert progress(junior_to_senior).status == "learning"
    response = alice_client.post(url, {"set": "kubernetes:done"}, headers=HTMX)
    html = response.content.decode()
    assert '<li id="skill-kubernetes" class="path-skill status-done" hx-swap-oob="true">' in html
    assert '<dd id="count-done">1</dd>' in html


@pytest.mark.parametrize(
    ("value", "status"),
    [("no-such-skill:done", 404), ("docker:finished", 400), ("", 400), ("bad slug!:done", 400)],
)
def test_the_path_page_form_refuses_what_it_cannot_set(
    alice_client, junior_to_senior, value, status
):
    response = alice_client.post(reverse("roadmap:path_status"), {"set": value})
    assert response.status_code == status
    assert not SkillProgress.objects.filter(user=junior_to_senior).exists()


def test_the_note_page_shows_the_form_and_what_is_saved(alice_client, junior_to_senior):
    alice_client.post(note_url(), {"note": "Read the docs", "evidence_url": "https://ex.org/n"})
    html = alice_client.get(note_url()).content.decode()
    assert "Note, evidence and estimate: Docker" in html
    assert "Read the docs" in html
    assert 'href="https://ex.org/n"' in html


def test_a_tick_shows_at_once_on_the_cached_path(alice_client, junior_to_senior):
    alice_client.get("/path/")  # fills the cache
    alice_client.post(status_url(), {"status": "done"}, headers=HTMX)
    html = alice_client.get("/path/").content.decode()
    assert '<li id="skill-docker" class="path-skill status-done">' in html
    assert '<dd id="count-done">1</dd>' in html


def test_a_cached_path_is_never_shown_to_another_user(client, alice, bob, junior_to_senior):
    from roadmap.models import Role

    bob.current_role = Role.objects.get(slug="junior-ai-engineer")
    bob.target_role = Role.objects.get(slug="senior-ai-engineer")
    bob.save()
    client.force_login(junior_to_senior)
    client.post(status_url(), {"status": "done"})
    assert "status-done" in client.get("/path/").content.decode()  # Alice's path is cached
    client.force_login(bob)
    html = client.get("/path/").content.decode()
    assert '<li id="skill-docker" class="path-skill status-not_started">' in html
    assert '<dd id="count-done">0</dd>' in html


def test_a_tick_sends_back_only_the_parts_it_changed(alice_client, junior_to_senior):
    # Learning changes the counts but not what is done or left: no ladder, no
    # certifications, no pace.
    html = alice_client.post(status_url(), {"status": "learning"}, headers=HTMX).content.decode()
    assert 'id="progress-summary"' in html and 'id="skill-docker"' in html
    assert 'id="ladder-picture"' not in html
    assert 'id="recommended-certs"' not in html
    assert 'id="pace-' not in html and 'id="left-' not in html
    # Done moves the ladder and what is left on Docker's rung, not on the others.
    html = alice_client.post(status_url(), {"status": "done"}, headers=HTMX).content.decode()
    assert 'id="ladder-picture"' in html
    assert 'id="left-ai-engineer"' in html and 'id="left-senior-ai-engineer"' not in html
