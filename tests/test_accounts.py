import json

import pytest
from django.core import mail
from django.urls import reverse

from roadmap.models import Certification, CertificationProgress, Role, Skill, SkillProgress

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_up_logs_you_in_and_takes_you_to_your_path(client, django_user_model):
    response = client.post(
        reverse("signup"),
        {
            "username": "carol",
            "email": "carol@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:path")
    assert django_user_model.objects.get(username="carol").email == "carol@example.com"
    html = client.get(reverse("roadmap:path")).content.decode()
    assert "Say where you are and where you want to go" in html
    assert "Sign out" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": "12345678", "password2": "12345678"}, "This password is too common."),
        ({"password1": PASSWORD, "password2": PASSWORD + "x"}, "didn’t match"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": "alice"}, "A user with that username already exists."),
        ({"email": "ALICE@example.com"}, "An account cannot be created with this email address."),
    ],
)
def test_sign_up_errors_are_shown_beside_the_fields(client, alice, data, message):
    form = {
        "username": "dave",
        "email": "dave@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **data,
    }
    response = client.post(reverse("signup"), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_signing_in_goes_to_the_path(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:path")


def test_a_next_parameter_on_this_site_is_followed(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": "/skills/rag/"}
    )
    assert response["Location"] == "/skills/rag/"


def test_a_next_parameter_to_another_site_is_ignored(client, alice):
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD, "next": "https://evil.example/steal"},
    )
    assert response["Location"] == reverse("roadmap:path")


def test_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_signing_out_is_a_post_and_ends_the_session(alice_client):
    assert alice_client.get(reverse("logout")).status_code == 405
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("roadmap:path")).status_code == 302


def test_the_password_can_be_changed(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-passphrase-7")


def test_a_password_reset_sends_a_link_that_works(client, alice, settings):
    settings.SITE_URL = "https://roadmap.example.org"
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    assert link.startswith("https://roadmap.example.org/accounts/reset/")
    path = link.split("roadmap.example.org", 1)[1]
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "brand-new-passphrase-3", "new_password2": "brand-new-passphrase-3"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passphrase-3")


def test_the_profile_sets_current_and_target_roles(alice_client, alice):
    junior = Role.objects.get(slug="junior-ai-engineer")
    senior = Role.objects.get(slug="senior-ai-engineer")
    response = alice_client.post(
        reverse("profile"), {"current_role": junior.pk, "target_role": senior.pk}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.current_role, alice.target_role) == (junior, senior)


def test_not_in_an_ai_role_yet_is_a_choice(alice_client, alice):
    html = alice_client.get(reverse("profile")).content.decode()
    assert "Not in an AI role yet" in html
    senior = Role.objects.get(slug="senior-ai-engineer")
    alice_client.post(reverse("profile"), {"current_role": "", "target_role": senior.pk})
    alice.refresh_from_db()
    assert alice.current_role is None


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        ("senior-ai-engineer", "ai-engineer", "below your current one"),
        ("ai-engineer", "ai-engineer", "the role you already have"),
        ("ai-engineer", None, "Choose the role you are aiming for."),
    ],
)
def test_the_profile_refuses_a_target_that_makes_no_sense(
    alice_client, alice, current, target, message
):
    data = {
        "current_role": Role.objects.get(slug=current).pk,
        "target_role": Role.objects.get(slug=target).pk if target else "",
    }
    response = alice_client.post(reverse("profile"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.target_role is None


def test_the_profile_refuses_a_role_that_does_not_exist(alice_client):
    response = alice_client.post(reverse("profile"), {"target_role": "999999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_changing_the_target_keeps_all_progress(alice_client, junior_to_senior):
    SkillProgress.objects.create(user=junior_to_senior, skill=Skill.objects.get(slug="docker"))
    alice_client.post(
        reverse("profile"),
        {"target_role": Role.objects.get(slug="data-engineer").pk},
    )
    assert SkillProgress.objects.filter(user=junior_to_senior).count() == 1


def test_my_data_downloads_everything_about_me_as_json(alice_client, junior_to_senior, bob):
    skill = Skill.objects.get(slug="docker")
    SkillProgress.objects.create(
        user=junior_to_senior, skill=skill, status="done", note="Built an image"
    )
    SkillProgress.objects.create(user=bob, skill=skill, status="learning", note="Bob's secret")
    response = alice_client.get(reverse("my_data"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert data["profile"] == {
        "current_role": "junior-ai-engineer",
        "target_role": "senior-ai-engineer",
        "email_me_about_changes": False,
        "hours_per_week": None,
        "pay_region": "",
    }
    assert [(s["skill"], s["status"], s["note"]) for s in data["skills"]] == [
        ("docker", "done", "Built an image")
    ]
    assert "Bob's secret" not in response.content.decode()
    assert "password" not in response.content.decode()


def test_my_data_includes_teams_estimates_and_credit(alice_client, junior_to_senior):
    from accounts.models import Membership, Team
    from roadmap.models import Role

    team = Team.objects.create(name="Search", reference_role=Role.objects.get(slug="ai-engineer"))
    Membership.objects.create(
        team=team, user=junior_to_senior, suggested_role=Role.objects.get(slug="head-of-ai")
    )
    SkillProgress.objects.create(
        user=junior_to_senior,
        skill=Skill.objects.get(slug="docker"),
        status="done",
        credited_from="not_started",
        hours_estimate=12,
    )
    data = json.loads(alice_client.get(reverse("my_data")).content)
    assert [(t["team"], t["role"], t["suggested_target_role"]) for t in data["teams"]] == [
        ("Search", "member", "head-of-ai")
    ]
    (skill,) = data["skills"]
    assert (skill["hours_estimate"], skill["credited_from_current_role"]) == (12, True)


def test_my_data_includes_pace_sharing_and_the_invites_i_made(alice_client, alice):
    import datetime

    from django.utils import timezone

    from accounts.models import Invite, Membership, Team
    from roadmap.models import Role

    alice.hours_per_week = 6
    alice.share_token = "a-secret-share-token-0123456789"
    alice.share_notes = True
    alice.save()
    team = Team.objects.create(name="Search", reference_role=Role.objects.get(slug="ai-engineer"))
    Membership.objects.create(team=team, user=alice, role="owner")
    invite = Invite.objects.create(
        team=team,
        created_by=alice,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        max_uses=5,
    )
    body = alice_client.get(reverse("my_data")).content.decode()
    data = json.loads(body)
    assert data["profile"]["hours_per_week"] == 6
    assert data["sharing"] == {"shared_page_on": True, "shared_page_shows_notes": True}
    (made,) = data["invites_created"]
    assert (made["team"], made["max_uses"], made["uses"], made["withdrawn_at"]) == (
        "Search",
        5,
        0,
        None,
    )
    # Secrets stay out of a file that may lie in a downloads folder.
    assert alice.share_token not in body and invite.token not in body


def test_deleting_the_account_needs_confirmation_and_removes_progress(
    alice_client, alice, django_user_model
):
    SkillProgress.objects.create(user=alice, skill=Skill.objects.get(slug="docker"))
    CertificationProgress.objects.create(
        user=alice,
        certification=Certification.objects.get(slug="google-professional-data-engineer"),
        status="planned",
    )
    assert "Type your username" in alice_client.get(reverse("delete_account")).content.decode()
    response = alice_client.post(reverse("delete_account"), {"confirm": "not-alice"})
    assert response.status_code == 400
    assert django_user_model.objects.filter(username="alice").exists()
    response = alice_client.post(reverse("delete_account"), {"confirm": "alice"}, follow=True)
    assert "Your account and all your progress have been deleted." in response.content.decode()
    assert not django_user_model.objects.filter(username="alice").exists()
    assert not SkillProgress.objects.exists()
    assert not CertificationProgress.objects.exists()


@pytest.mark.parametrize("name", ["profile", "my_data", "delete_account", "password_change"])
def test_account_pages_need_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_the_email_address_in_any_case(client, alice):
    response = client.post(
        reverse("login"), {"username": "Alice@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_a_wrong_password_with_an_email_address_says_so_plainly(client, alice):
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That username or email address and password do not match an account." in html
    assert "Username or email address" in html


def test_a_duplicate_email_at_sign_up_mails_its_owner_and_says_nothing_of_the_account(
    client, alice
):
    response = client.post(
        reverse("signup"),
        {
            "username": "stranger",
            "email": "alice@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already exists" not in html
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "no account was created" in message.body
