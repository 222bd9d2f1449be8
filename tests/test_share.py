import pytest
from django.test import Client

from accounts.models import User
from roadmap.models import Role, Skill, SkillProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(alice_client, junior_to_senior):
    SkillProgress.objects.create(
        user=junior_to_senior,
        skill=Skill.objects.get(slug="docker"),
        status="done",
        note="My private thoughts on Docker",
        evidence_url="https://ex.org/evidence",
    )
    alice_client.post("/accounts/share/", {"action": "start"})
    junior_to_senior.refresh_from_db()
    return f"/shared/{junior_to_senior.share_token}/"


def test_sharing_is_off_until_the_user_turns_it_on(alice_client, junior_to_senior):
    assert junior_to_senior.share_token is None
    assert "Share my path" in alice_client.get("/accounts/profile/").content.decode()


def test_a_shared_path_is_read_only_and_shows_no_email_or_notes(shared, junior_to_senior):
    assert len(junior_to_senior.share_token) >= 32
    response = Client().get(shared)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert "alice’s path to Senior AI Engineer" in html
    assert "1 done, 0 learning, 0 skipped, 26 not started, of 27." in html
    assert "alice@example.com" not in html
    assert "My private thoughts" not in html
    assert "ex.org/evidence" not in html
    assert "<button" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_shared_path_has_a_title_and_description_for_link_previews(shared):
    html = Client().get(shared).content.decode()
    assert "<title>alice’s path to Senior AI Engineer · AI engineer roadmap</title>" in html
    assert 'name="description" content="1 of 27 skills done (3%)' in html
    assert '<meta property="og:title" content="alice’s path to Senior AI Engineer">' in html


def test_notes_are_shown_only_when_the_user_chooses(alice_client, shared):
    alice_client.post("/accounts/share/", {"action": "notes", "notes": "on"})
    html = Client().get(shared).content.decode()
    assert "My private thoughts on Docker" in html
    assert 'href="https://ex.org/evidence"' in html


def test_stopping_sharing_makes_the_link_a_404_for_good(alice_client, shared):
    alice_client.post("/accounts/share/", {"action": "stop"})
    assert Client().get(shared).status_code == 404
    alice_client.post("/accounts/share/", {"action": "start"})
    assert Client().get(shared).status_code == 404  # a new address, not the old one


@pytest.mark.parametrize("token", ["guess", "a" * 32, "../../etc", "x" * 500])
def test_a_wrong_token_is_a_404(client, token):
    assert client.get(f"/shared/{token}/").status_code == 404


def test_an_unknown_share_action_is_a_400(alice_client, junior_to_senior):
    assert alice_client.post("/accounts/share/", {"action": "explode"}).status_code == 400
    junior_to_senior.refresh_from_db()
    assert junior_to_senior.share_token is None


def test_a_username_that_is_an_email_address_is_never_published(django_user_model):
    user = django_user_model.objects.create_user("jane.doe@example.com", "j@example.com", "x")
    user.target_role = Role.objects.get(slug="head-of-ai")
    user.save()
    client = Client()
    client.force_login(user)
    client.post("/accounts/share/", {"action": "start"})
    user.refresh_from_db()
    html = Client().get(f"/shared/{user.share_token}/").content.decode()
    assert "<h1>A shared path to Head of AI</h1>" in html
    assert 'content="A shared path to Head of AI"' in html
    assert "jane.doe" not in html and "@" not in html.split("<main", 1)[1]


def test_a_display_name_is_shown_and_an_email_as_one_is_refused(alice_client, junior_to_senior):
    alice_client.post("/accounts/share/", {"action": "start", "display_name": "  Alice  B. "})
    junior_to_senior.refresh_from_db()
    html = Client().get(f"/shared/{junior_to_senior.share_token}/").content.decode()
    assert "<h1>Alice B.’s path to Senior AI Engineer</h1>" in html
    response = alice_client.post(
        "/accounts/share/", {"action": "notes", "display_name": "alice@example.com"}
    )
    assert response.status_code == 400
    assert "cannot be an email address" in response.content.decode()
    junior_to_senior.refresh_from_db()
    assert junior_to_senior.display_name == "Alice B."


def test_shared_notes_keep_their_line_breaks(alice_client, junior_to_senior):
    SkillProgress.objects.create(
        user=junior_to_senior,
        skill=Skill.objects.get(slug="docker"),
        status="done",
        note="First line\nSecond line",
    )
    alice_client.post("/accounts/share/", {"action": "start", "notes": "on"})
    junior_to_senior.refresh_from_db()
    html = Client().get(f"/shared/{junior_to_senior.share_token}/").content.decode()
    assert "First line<br>Second line" in html


def test_a_shared_page_is_never_stored(alice_client, junior_to_senior):
    alice_client.post("/accounts/share/", {"action": "start"})
    token = User.objects.get(username="alice").share_token
    response = Client().get(f"/shared/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
