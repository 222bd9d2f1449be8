import datetime
import json
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invite, Team, User
from roadmap.models import Certification, CertificationProgress, Role, Skill, SkillProgress

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_up_logs_you_in_and_takes_you_to_your_path(client, django_user_model):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "carol",
            "email": "carol@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:path")
    # The address is the account's once confirmed from the mail (below).
    assert django_user_model.objects.get(username="carol").email == ""
    html = client.get(reverse("roadmap:path")).content.decode()
    assert "Say where you are and where you want to go" in html
    assert "follow its link to confirm the address" in html
    assert "Sign out" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": "12345678", "password2": "12345678"}, "This password is too common."),
        ({"password1": PASSWORD, "password2": PASSWORD + "x"}, "didn’t match"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": "alice"}, "A user with that username already exists."),
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
    response = client.post(reverse("accounts:signup"), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_signing_in_goes_to_the_path(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:path")


def test_a_next_parameter_on_this_site_is_followed(client, alice):
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": PASSWORD, "next": "/skills/rag/"},
    )
    assert response["Location"] == "/skills/rag/"


def test_a_next_parameter_to_another_site_is_ignored(client, alice):
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": PASSWORD, "next": "https://evil.example/steal"},
    )
    assert response["Location"] == reverse("roadmap:path")


def test_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_signing_out_is_a_post_and_ends_the_session(alice_client):
    assert alice_client.get(reverse("accounts:logout")).status_code == 405
    response = alice_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("roadmap:path")).status_code == 302


def test_the_password_can_be_changed(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:password_change"),
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
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
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
        reverse("accounts:profile"), {"current_role": junior.pk, "target_role": senior.pk}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.current_role, alice.target_role) == (junior, senior)


def test_not_in_an_ai_role_yet_is_a_choice(alice_client, alice):
    html = alice_client.get(reverse("accounts:profile")).content.decode()
    assert "Not in an AI role yet" in html
    senior = Role.objects.get(slug="senior-ai-engineer")
    alice_client.post(reverse("accounts:profile"), {"current_role": "", "target_role": senior.pk})
    alice.refresh_from_db()
    assert alice.current_role is None


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        ("senior-ai-engineer", "ai-engineer", "below your current one"),
        ("ai-engineer", None, "Choose the role you are aiming for, or your own role."),
    ],
)
def test_the_profile_refuses_a_target_that_makes_no_sense(
    alice_client, alice, current, target, message
):
    data = {
        "current_role": Role.objects.get(slug=current).pk,
        "target_role": Role.objects.get(slug=target).pk if target else "",
    }
    response = alice_client.post(reverse("accounts:profile"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.target_role is None


def test_a_head_of_ai_can_aim_at_his_own_role_to_keep_it_current(alice_client, alice):
    head = Role.objects.get(slug="head-of-ai")
    html = alice_client.get(reverse("accounts:profile")).content.decode()
    assert "Choose your current role again to keep it" in html
    response = alice_client.post(
        reverse("accounts:profile"), {"current_role": head.pk, "target_role": head.pk}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.current_role, alice.target_role) == (head, head)


def test_the_profile_refuses_a_role_that_does_not_exist(alice_client):
    response = alice_client.post(reverse("accounts:profile"), {"target_role": "999999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_changing_the_target_keeps_all_progress(alice_client, junior_to_senior):
    SkillProgress.objects.create(user=junior_to_senior, skill=Skill.objects.get(slug="docker"))
    alice_client.post(
        reverse("accounts:profile"),
        {"target_role": Role.objects.get(slug="data-engineer").pk},
    )
    assert SkillProgress.objects.filter(user=junior_to_senior).count() == 1


def test_my_data_downloads_everything_about_me_as_json(alice_client, junior_to_senior, bob):
    skill = Skill.objects.get(slug="docker")
    SkillProgress.objects.create(
        user=junior_to_senior, skill=skill, status="done", note="Built an image"
    )
    SkillProgress.objects.create(user=bob, skill=skill, status="learning", note="Bob's secret")
    response = alice_client.get(reverse("accounts:my_data"))
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
    data = json.loads(alice_client.get(reverse("accounts:my_data")).content)
    assert [(t["team"], t["role"], t["suggested_target_role"]) for t in data["teams"]] == [
        ("Search", "member", "head-of-ai")
    ]
    (skill,) = data["skills"]
    assert (skill["hours_estimate"], skill["credited_from_current_role"]) == (12, True)


def test_my_data_includes_pace_sharing_and_the_invites_i_made(alice_client, alice):
    import datetime

    from django.utils import timezone

    from accounts.models import Invite, Membership, Removal, Team
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
    body = alice_client.get(reverse("accounts:my_data")).content.decode()
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
    assert data["removed_from_teams"] == []
    other = Team.objects.create(name="Vision", reference_role=Role.objects.get(slug="ai-engineer"))
    Removal.objects.create(team=other, user=alice, removed_at=timezone.now())
    data = json.loads(alice_client.get(reverse("accounts:my_data")).content)
    assert [r["team"] for r in data["removed_from_teams"]] == ["Vision"]
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
    assert (
        "Type your username"
        in alice_client.get(reverse("accounts:delete_account")).content.decode()
    )
    response = alice_client.post(reverse("accounts:delete_account"), {"confirm": "not-alice"})
    assert response.status_code == 400
    assert django_user_model.objects.filter(username="alice").exists()
    response = alice_client.post(
        reverse("accounts:delete_account"), {"confirm": "alice"}, follow=True
    )
    assert "Your account and all your progress have been deleted." in response.content.decode()
    assert not django_user_model.objects.filter(username="alice").exists()
    assert not SkillProgress.objects.exists()
    assert not CertificationProgress.objects.exists()


@pytest.mark.parametrize("name", ["profile", "my_data", "delete_account", "password_change"])
def test_account_pages_need_sign_in(client, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_sign_in_with_the_email_address_in_any_case(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "Alice@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_password_with_an_email_address_says_so_plainly(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "That username or email address and password do not match an account." in html
    assert "Username or email address" in html


def sign_up_with(email, username):
    client = Client()
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": username,
            "email": email,
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    page = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)  # CSRF tokens differ per session
    return response, page.replace(email, "ADDRESS")


def test_sign_up_answers_the_same_whether_the_address_has_an_account(alice, django_user_model):
    taken, taken_page = sign_up_with("ALICE@example.com", "stranger")
    free, free_page = sign_up_with("dave@example.com", "dave")
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"]
    assert taken_page.replace("stranger", "NAME") == free_page.replace("dave", "NAME")
    assert "follow its link to confirm the address" in free_page
    # Alice hears of it; the new account does not get her address.
    notice, confirmation = mail.outbox
    assert notice.to == ["ALICE@example.com"]
    assert "was not given this address" in notice.body
    assert "/accounts/confirm-email/" not in notice.body
    assert confirmation.to == ["dave@example.com"]
    assert django_user_model.objects.get(username="stranger").email == ""
    assert django_user_model.objects.get(username="alice").email == "alice@example.com"


def confirmation_path():
    body = mail.outbox[-1].body
    link = next(word for word in body.split() if "/accounts/confirm-email/" in word)
    return link[link.index("/accounts/confirm-email/") :]


def test_the_address_is_the_accounts_once_confirmed_from_the_mail(django_user_model):
    sign_up_with("carol@example.com", "carol")
    path = confirmation_path()
    # A mail scanner's GET changes nothing; the button does, signed in or not.
    page = Client().get(path)
    assert page.status_code == 200
    assert "carol@example.com" in page.content.decode()
    assert django_user_model.objects.get(username="carol").email == ""
    assert Client().post(path).status_code == 302
    assert django_user_model.objects.get(username="carol").email == "carol@example.com"
    response = Client().post(
        reverse("accounts:login"),
        {"username": "Carol@Example.com", "password": "a-long-pass-phrase-9"},
    )
    assert response.status_code == 302


def test_a_confirmation_link_cannot_take_an_address_someone_has_since_confirmed(
    django_user_model,
):
    sign_up_with("carol@example.com", "carol")
    path = confirmation_path()
    django_user_model.objects.create_user("carol2", "CAROL@example.com", PASSWORD)
    response = Client().post(path)
    assert response.status_code == 409
    assert "already belongs to an account" in response.content.decode()
    assert django_user_model.objects.get(username="carol").email == ""


def test_a_tampered_confirmation_link_is_refused(django_user_model):
    sign_up_with("carol@example.com", "carol")
    path = confirmation_path()
    response = Client().post(path[:-3] + "xyz/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert django_user_model.objects.get(username="carol").email == ""


def test_an_address_can_be_added_later_from_the_profile_and_confirmed(alice_client, alice):
    alice.email = ""
    alice.save()
    page = alice_client.get(reverse("accounts:profile")).content.decode()
    assert "None confirmed yet" in page
    response = alice_client.post(reverse("accounts:change_email"), {"email": "not an address"})
    assert response.status_code == 302
    assert not mail.outbox
    response = alice_client.post(
        reverse("accounts:change_email"), {"email": "alice@new.example"}, follow=True
    )
    assert "follow its link to confirm the address" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["alice@new.example"]
    alice.refresh_from_db()
    assert alice.email == ""  # only once confirmed
    assert alice_client.post(confirmation_path()).status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@new.example"
    assert (
        "Confirmed: alice@new.example"
        in alice_client.get(reverse("accounts:profile")).content.decode()
    )


def test_confirmation_links_from_the_profile_are_limited(alice_client):
    statuses = [
        alice_client.post(
            reverse("accounts:change_email"), {"email": f"a{n}@example.org"}
        ).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_deleting_the_account_that_fails_keeps_it_and_says_so(alice_client, alice, monkeypatch):
    def broken(user):
        raise DatabaseError("simulated")

    monkeypatch.setattr("accounts.views.account.forget_account", broken)
    response = alice_client.post("/accounts/delete/", {"confirm": "alice"})
    assert response.status_code == 500
    assert "could not be deleted" in response.content.decode()
    assert User.objects.filter(username="alice").exists()
    # Still signed in: nothing pretended to succeed.
    assert alice_client.get("/accounts/profile/").status_code == 200


def test_sign_ups_from_one_address_are_throttled(settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 3
    codes = [
        Client()
        .post(
            "/accounts/signup/",
            {
                "username": f"user{i}",
                "email": f"user{i}@example.com",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            },
        )
        .status_code
        for i in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert not User.objects.filter(username="user3").exists()


def sign_up_data(i):
    return {
        "username": f"colleague{i}",
        "email": f"colleague{i}@example.com",
        "password1": "a-long-pass-phrase-9",
        "password2": "a-long-pass-phrase-9",
    }


def sign_up(i, next_url=""):
    """One sign-up from a fresh browser, all from the same address (as from one office)."""
    data = sign_up_data(i)
    if next_url:
        data["next"] = next_url
    return Client().post("/accounts/signup/", data)


def an_invite(**kwargs):
    team = Team.objects.create(name="Office", reference_role=Role.objects.first())
    expires_at = timezone.now() + datetime.timedelta(days=7)
    return Invite.objects.create(team=team, expires_at=expires_at, **kwargs)


def test_an_office_behind_one_address_can_join_a_team_through_its_invite():
    link = an_invite(max_uses=20).get_absolute_url()
    responses = [sign_up(i, link) for i in range(12)]
    assert [r.status_code for r in responses] == [302] * 12
    assert {r["Location"] for r in responses} == {link}
    assert User.objects.filter(username__startswith="colleague").count() == 12


def test_without_an_invite_the_eleventh_sign_up_from_one_address_is_refused():
    codes = [sign_up(i).status_code for i in range(10)]
    assert codes == [302] * 10
    response = sign_up(10)
    assert response.status_code == 429
    assert "Too many sign-ups from your network" in response.content.decode()
    assert not User.objects.filter(username="colleague10").exists()


@pytest.mark.parametrize(
    "unusable",
    [
        {"revoked_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)},
        {"max_uses": 1, "uses": 1},
    ],
)
def test_an_unusable_invite_does_not_lift_the_sign_up_limit(settings, unusable):
    settings.SIGNUP_LIMIT_PER_HOUR = 2
    link = an_invite(**unusable).get_absolute_url()
    assert [sign_up(i, link).status_code for i in range(3)] == [302, 302, 429]


def test_sign_ups_through_an_invite_are_bounded_by_its_uses(settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 1
    link = an_invite(max_uses=2).get_absolute_url()
    # Two through the invite, then the address's own limit (one), then no more.
    assert [sign_up(i, link).status_code for i in range(4)] == [302, 302, 302, 429]


def test_sign_ups_through_an_invite_have_their_own_cap_per_address(settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 0
    settings.SIGNUP_WITH_INVITE_LIMIT_PER_HOUR = 2
    unlimited = an_invite().get_absolute_url()
    assert [sign_up(i, unlimited).status_code for i in range(3)] == [302, 302, 429]


OFFICE, HOME = "203.0.113.9", "198.51.100.7"


def test_a_second_address_can_sign_up_after_the_first_is_throttled(settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 1
    codes = [
        Client(REMOTE_ADDR=address).post("/accounts/signup/", sign_up_data(i)).status_code
        for i, address in enumerate([OFFICE, OFFICE, HOME])
    ]
    assert codes == [302, 429, 302]


def test_another_address_keeps_its_cap_for_sign_ups_through_an_invite(settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 0
    settings.SIGNUP_WITH_INVITE_LIMIT_PER_HOUR = 1
    data = {"next": an_invite().get_absolute_url()}
    responses = [
        Client(REMOTE_ADDR=address).post("/accounts/signup/", {**sign_up_data(i), **data})
        for i, address in enumerate([OFFICE, OFFICE, HOME])
    ]
    assert [response.status_code for response in responses] == [302, 429, 302]


def test_one_invite_used_up_leaves_another_invites_sign_ups_alone(settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 0
    first, second = (an_invite(max_uses=2).get_absolute_url() for _ in range(2))
    codes = [sign_up(i, link).status_code for i, link in enumerate([first, first, second])]
    assert codes == [302, 302, 302]
    assert sign_up(3, first).status_code == 429


def test_the_429_page_keeps_its_message_and_the_signed_in_menu(alice_client):
    for n in range(5):
        alice_client.post(reverse("accounts:change_email"), {"email": f"a{n}@example.org"})
    response = alice_client.post(reverse("accounts:change_email"), {"email": "b@example.org"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "You asked for several confirmation links this hour" in html
    assert "Sign out" in html


def test_reset_mail_to_one_address_is_limited_without_saying_so(client, alice):
    codes = [
        client.post("/accounts/password_reset/", {"email": "alice@example.com"}).status_code
        for _ in range(5)
    ]
    assert codes == [302] * 5  # the same answer every time
    assert len(mail.outbox) == 3


def test_reset_mail_to_one_address_being_limited_leaves_another_addresss_mail(alice, bob):
    for _ in range(4):
        Client().post("/accounts/password_reset/", {"email": "alice@example.com"})
    mail.outbox.clear()
    Client().post("/accounts/password_reset/", {"email": "bob@example.com"})
    (message,) = mail.outbox
    assert message.to == ["bob@example.com"]


def test_sign_ups_with_someones_address_do_not_stop_their_reset_mail(bob):
    for i in range(8):
        Client().post(
            "/accounts/signup/",
            {
                "username": f"mallory{i}",
                "email": "bob@example.com",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            },
        )
    # Bob hears of the attempts, a few times at most.
    notices = [m for m in mail.outbox if "tried to create an account" in m.subject]
    assert len(notices) == 3
    mail.outbox.clear()
    response = Client().post("/accounts/password_reset/", {"email": "bob@example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["bob@example.com"]
    assert "/accounts/reset/" in message.body


def test_reset_requests_from_one_address_are_throttled(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 2
    codes = [
        client.post("/accounts/password_reset/", {"email": f"x{i}@example.com"}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]


def test_the_reset_link_ignores_the_host_the_request_names(client, alice, settings):
    settings.SITE_URL = "https://roadmap.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    client.post(
        "/accounts/password_reset/", {"email": "alice@example.com"}, HTTP_HOST="attacker.example"
    )
    (message,) = mail.outbox
    assert "attacker.example" not in message.body
    assert "https://roadmap.example.org/accounts/reset/" in message.body


def test_the_data_download_works_for_any_username(client, django_user_model):
    user = django_user_model.objects.create_user("zoë_李", "z@example.com", PASSWORD)
    client.force_login(user)
    response = client.get("/accounts/data/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''ai-roadmap-zo%C3%AB_%E6%9D%8E-" in disposition


def test_the_data_download_includes_the_sign_in_log(client, alice):
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    data = json.loads(client.get("/accounts/data/").content)
    (entry,) = data["sign_in_log"]["sign_ins"]
    assert entry["ip_address"] == "127.0.0.1"


def test_deleting_the_account_leaves_no_sign_in_record_and_no_session(alice):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert AccessLog.objects.filter(username="alice").count() == 2
    response = laptop.post("/accounts/delete/", {"confirm": "alice"})
    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert not AccessLog.objects.filter(username="alice").exists()
    assert not AccessAttempt.objects.filter(username="alice").exists()
    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert not [s for s in sessions if s.get("_auth_user_id")]
    # The phone is signed out as well.
    assert phone.get("/accounts/profile/").status_code == 302


def record_under(model, name, **extra):
    """A sign-in record as django-axes kept it before failures were counted per account."""
    return model.objects.create(
        username=name,
        ip_address="203.0.113.9",
        user_agent="old",
        http_accept="*/*",
        path_info="/accounts/login/",
        **extra,
    )


def old_records_for_alice_and_bob():
    attempt = {"get_data": "", "post_data": "", "failures_since_start": 3}
    return [
        record_under(AccessAttempt, "Alice@Example.COM", **attempt),
        record_under(AccessFailureLog, "alice@example.com"),
        record_under(AccessFailureLog, "alice"),
        record_under(AccessAttempt, "bob@example.com", **attempt),
        record_under(AccessFailureLog, "bob"),
    ]


def test_the_data_download_includes_failed_sign_ins_under_any_name_of_the_account(
    client, alice, bob
):
    old_records_for_alice_and_bob()
    client.post("/accounts/login/", {"username": "ALICE@example.com", "password": "wrong"})
    client.force_login(alice)
    log = json.loads(client.get("/accounts/data/").content)["sign_in_log"]
    attempts = sorted(a["failures"] for a in log["failed_attempts"])
    assert attempts == [1, 3]
    assert len(log["failures"]) == 2
    assert {a["ip_address"] for a in log["failed_attempts"]} == {"127.0.0.1", "203.0.113.9"}


def test_deleting_the_account_removes_failed_sign_ins_under_any_of_its_names(
    alice_client, alice, bob
):
    old_records_for_alice_and_bob()
    Client().post("/accounts/login/", {"username": "Alice@example.com", "password": "wrong"})
    alice_client.post("/accounts/delete/", {"confirm": "alice"})
    assert sorted(AccessAttempt.objects.values_list("username", flat=True)) == ["bob@example.com"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["bob"]


def test_deleting_the_account_keeps_the_sign_ins_of_an_account_named_like_its_address(
    alice_client, alice
):
    User.objects.create_user("Alice@Example.com", "", PASSWORD)
    record_under(AccessLog, "Alice@Example.com")
    alice_client.post("/accounts/delete/", {"confirm": "alice"})
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["Alice@Example.com"]


def test_asking_again_for_ones_own_address_sends_a_link_not_a_warning(alice_client, alice):
    response = alice_client.post(reverse("accounts:change_email"), {"email": "ALICE@example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Confirm your email address"
    assert "/accounts/confirm-email/" in message.body
