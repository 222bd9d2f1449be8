"""Teams: creating one, invites, joining with consent, what managers and members see,
leaving and removal, and access for everyone else (issue 12)."""

import csv
import datetime
import io
import re
import threading

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings as django_settings
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invite, Membership, Team, User
from roadmap.models import Role, Skill, SkillProgress

from .helpers import PASSWORD, statuses

pytestmark = pytest.mark.django_db


def person(username, target="senior-ai-engineer"):
    return User.objects.create_user(
        username, f"{username}@example.com", PASSWORD, target_role=Role.objects.get(slug=target)
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(ai_engineer_role):
    owner = person("ada")
    team = Team.objects.create(name="Platform AI", reference_role=ai_engineer_role)
    Membership.objects.create(team=team, user=owner, role="owner")
    return team


def invite_for(team, **kwargs):
    kwargs.setdefault("expires_at", timezone.now() + datetime.timedelta(days=7))
    return Invite.objects.create(team=team, **kwargs)


def join(user, invite, agree=True):
    data = {"agree": "on"} if agree else {}
    return client_for(user).post(reverse("accounts:join_team", args=[invite.token]), data)


def tick(user, slug, status="done"):
    SkillProgress.objects.update_or_create(
        user=user, skill=Skill.objects.get(slug=slug), defaults={"status": status}
    )


def test_a_team_is_created_with_its_creator_as_owner():
    ada = person("ada")
    response = client_for(ada).post(
        reverse("accounts:teams"),
        {"name": "Search", "reference_role": Role.objects.get(slug="senior-ai-engineer").pk},
    )
    team = Team.objects.get(name="Search")
    assert response["Location"] == team.get_absolute_url()
    assert Membership.objects.get(team=team).role == "owner"
    html = client_for(ada).get(team.get_absolute_url()).content.decode()
    assert "Who knows what" in html and "Senior AI Engineer" in html


def test_a_team_needs_a_name_and_a_role():
    response = client_for(person("ada")).post(reverse("accounts:teams"), {"name": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the team a name." in html
    assert "Choose the role to measure the team against." in html
    assert not Team.objects.exists()


def test_joining_shows_what_will_be_shared_and_needs_consent(team):
    invite = invite_for(team)
    bea = person("bea")
    url = reverse("accounts:join_team", args=[invite.token])
    # Signed out, a POST goes through sign-in and back (the page itself: see below).
    assert Client().post(url, {"agree": "on"})["Location"] == f"/accounts/login/?next={url}"
    html = client_for(bea).get(url).content.decode()
    assert "the status of each skill" in html and "never your email" in html
    assert "They will <strong>not</strong> see your notes or evidence links." in html
    # The matrix can be measured against each member's own target: the page says so.
    assert "and of your own target role too" in html
    assert "measure the team against each member's own target" in html
    response = join(bea, invite, agree=False)
    assert response.status_code == 400
    assert "Tick the box to agree, or do not join." in response.content.decode()
    assert not Membership.objects.filter(user=bea).exists()
    assert join(bea, invite)["Location"] == reverse("accounts:team_welcome", args=[team.pk])
    assert Membership.objects.get(user=bea).role == "member"
    invite.refresh_from_db()
    assert invite.uses == 1


def test_signed_out_the_invite_shows_team_inviter_and_what_managers_see_never_members(team):
    ada = team.memberships.get().user
    ada.display_name = "Ada Lovelace"
    ada.save()
    bea = person("bea-member")
    Membership.objects.create(team=team, user=bea)
    tick(bea, "python")
    invite = invite_for(team, created_by=ada)
    url = reverse("accounts:join_team", args=[invite.token])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Join “Platform AI”" in html
    assert "<strong>Ada Lovelace</strong>" in html and "invited you" in html
    assert "AI Engineer" in html  # what the team is measured against
    assert "never your email" in html and "the status of each skill" in html
    assert "They will <strong>not</strong> see your notes or evidence links." in html
    # Links to sign up or sign in that come back here; no form to join yet.
    assert f'href="/accounts/signup/?next={url}"' in html.replace("%2F", "/")
    assert f'href="/accounts/login/?next={url}"' in html.replace("%2F", "/")
    assert "Sign up to join" in html and "Sign in to join" in html
    assert "Join the team" not in html
    # Nothing about the members: no name, no email, no progress.
    for private in ("bea-member", "ada@example.com", "Python", "Done", "%"):
        assert private not in html, private


def test_an_inviter_whose_name_is_an_email_address_is_not_named(team):
    ada = team.memberships.get().user
    ada.username = "ada@corp.example"
    ada.save()
    html = Client().get(invite_for(team, created_by=ada).get_absolute_url()).content.decode()
    assert "ada@corp.example" not in html
    assert "One of the team's managers" in html


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "has expired"),
        ({"max_uses": 1, "uses": 1}, "used as many times as it allows"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
    ],
)
def test_signed_out_a_spent_invite_says_so_and_names_only_the_team(team, kwargs, message):
    ada = team.memberships.get().user
    ada.display_name = "Ada Lovelace"
    ada.save()
    response = Client().get(invite_for(team, created_by=ada, **kwargs).get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert message in html and "Platform AI" in html
    html = html[html.index("<main") :]
    for detail in ("Ada Lovelace", "AI Engineer", "Sign up to join", "never your email"):
        assert detail not in html, detail
    assert Client().get("/join/not-a-real-token/").status_code == 404


def test_signing_up_through_the_invite_comes_back_to_it_and_joins(team):
    invite = invite_for(team, created_by=team.memberships.get().user)
    url = reverse("accounts:join_team", args=[invite.token])
    client = Client()
    signup = client.get(reverse("accounts:signup"), {"next": url}).content.decode()
    assert f'name="next" value="{url}"' in signup
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": url,
        },
    )
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert "Join the team" in html and "I agree" in html
    assert client.post(url, {"agree": "on"}).status_code == 302
    assert Membership.objects.get(user__username="newcomer", team=team).role == "member"
    # Signing in instead comes back to it too.
    person("cy")
    response = Client().post(
        f"{reverse('accounts:login')}?next={url}",
        {"username": "cy", "password": PASSWORD, "next": url},
    )
    assert response["Location"] == url


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "has expired"),
        ({"max_uses": 1, "uses": 1}, "used as many times as it allows"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
    ],
)
def test_an_expired_used_up_or_withdrawn_invite_lets_nobody_in(team, kwargs, message):
    invite = invite_for(team, **kwargs)
    response = join(person("bea"), invite)
    assert response.status_code == 410
    assert message in response.content.decode()
    assert Membership.objects.filter(team=team).count() == 1


def test_a_use_limit_counts_each_person_once(team):
    invite = invite_for(team, max_uses=2)
    bea, cy, dan = person("bea"), person("cy"), person("dan")
    assert join(bea, invite).status_code == 302
    assert join(bea, invite).status_code == 302  # already in: not counted again
    assert join(cy, invite).status_code == 302
    assert join(dan, invite).status_code == 410
    invite.refresh_from_db()
    assert invite.uses == 2


def test_right_after_joining_one_step_sets_roles_and_takes_the_credit(team):
    bea = person("bea", target="ai-engineer")
    bea.hours_per_week = 6
    bea.save()
    tick(bea, "docker", "learning")
    tick(bea, "python", "skipped")
    client = client_for(bea)
    response = client.post(
        reverse("accounts:join_team", args=[invite_for(team).token]), {"agree": "on"}
    )
    step = reverse("accounts:team_welcome", args=[team.pk])
    assert response["Location"] == step
    html = client.get(step).content.decode()
    assert "Where you are now" in html and "Where you want to go" in html
    assert "Mark done the skills my current role already covers" in html
    assert f'href="{team.get_absolute_url()}">Skip this step' in html
    junior = Role.objects.get(slug="junior-ai-engineer")
    senior = Role.objects.get(slug="senior-ai-engineer")
    response = client.post(
        step, {"current_role": junior.pk, "target_role": senior.pk, "credit": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    bea.refresh_from_db()
    assert (bea.current_role, bea.target_role, bea.hours_per_week) == (junior, senior, 6)
    covered = set(junior.role_skills.values_list("skill__slug", flat=True))  # the first rung
    now = statuses(bea)
    assert covered and all(now[slug] in ("done", "skipped") for slug in covered)
    assert now["python"] == "skipped"  # a skipped skill is left as it was
    message = f"Marked {sum(1 for s in covered if s != 'python')} skills done that Junior"
    assert message in response.content.decode()
    # The path page's undo puts back what the step credited.
    client.post(reverse("roadmap:credit"), {"action": "undo"})
    assert statuses(bea) == {"docker": "learning", "python": "skipped"} | {
        slug: "not_started" for slug in covered if slug not in ("docker", "python")
    }


def test_the_step_keeps_the_profiles_rules_and_skipping_it_changes_nothing(team):
    bea = person("bea", target="ai-engineer")
    tick(bea, "docker", "learning")
    join(bea, invite_for(team))
    client = client_for(bea)
    step = reverse("accounts:team_welcome", args=[team.pk])
    senior = Role.objects.get(slug="senior-ai-engineer")
    junior = Role.objects.get(slug="junior-ai-engineer")
    # The profile's rules: a target below the current role is refused, and nothing changes.
    response = client.post(
        step, {"current_role": senior.pk, "target_role": junior.pk, "credit": "on"}
    )
    assert response.status_code == 400
    assert "This role is below your current one on the ladder." in response.content.decode()
    assert statuses(bea) == {"docker": "learning"}
    # Not in an AI role yet: there is nothing to credit.
    client.post(step, {"target_role": senior.pk, "credit": "on"})
    bea.refresh_from_db()
    assert (bea.current_role, bea.target_role) == (None, senior)
    assert statuses(bea) == {"docker": "learning"}
    # Without the box ticked, roles only.
    client.post(step, {"current_role": junior.pk, "target_role": senior.pk})
    bea.refresh_from_db()
    assert (bea.current_role, bea.target_role) == (junior, senior)
    assert statuses(bea) == {"docker": "learning"}
    # Skipping is a link back to the team: nothing about the member changes.
    cy = person("cy", target="ai-engineer")
    tick(cy, "docker", "learning")
    cy_client = client_for(cy)
    cy_client.post(reverse("accounts:join_team", args=[invite_for(team).token]), {"agree": "on"})
    before = User.objects.filter(pk=cy.pk).values().get()
    assert cy_client.get(step).status_code == 200
    assert cy_client.get(team.get_absolute_url()).status_code == 200
    assert User.objects.filter(pk=cy.pk).values().get() == before
    assert statuses(cy) == {"docker": "learning"}
    # Only for members: anyone else gets a 404.
    dee = client_for(person("dee"))
    assert dee.get(step).status_code == 404
    assert dee.post(step, {"target_role": senior.pk}).status_code == 404


def test_managers_make_and_withdraw_invites(team):
    ada = team.memberships.get().user
    client = client_for(ada)
    client.post(reverse("accounts:team_invite", args=[team.pk]), {"days": "3", "max_uses": "5"})
    invite = Invite.objects.get(team=team)
    assert invite.max_uses == 5
    assert (invite.expires_at - timezone.now()).days == 2  # just under three days
    html = client.get(team.get_absolute_url()).content.decode()
    assert invite.get_absolute_url() in html
    bad = client.post(
        reverse("accounts:team_invite", args=[team.pk]), {"days": "400"}, follow=True
    )
    assert "Invite not made" in bad.content.decode()
    client.post(reverse("accounts:team_invite_revoke", args=[team.pk, invite.pk]))
    assert join(person("bea"), invite).status_code == 410


def email_invites(team, addresses, days="7"):
    ada = team.memberships.get(role="owner").user
    return client_for(ada).post(
        reverse("accounts:team_invite_email", args=[team.pk]),
        {"email-addresses": addresses, "email-days": days},
    )


def test_invite_by_email_sends_each_address_its_own_link_and_lists_bad_ones(team, mailoutbox):
    ada = team.memberships.get().user
    ada.display_name = "Ada Lovelace"
    ada.save()
    Membership.objects.create(team=team, user=person("bea-member"))
    response = email_invites(
        team, "cy@example.com\nnot-an-address, Dee@Example.com;cy@example.com\n\nx@@y"
    )
    # Two valid addresses (one given twice), two bad: the bad ones come back in the form.
    assert sorted(m.to[0] for m in mailoutbox) == ["Dee@Example.com", "cy@example.com"]
    assert response.status_code == 400
    html = response.content.decode()
    assert "not-an-address: not an email address." in html
    assert "x@@y: not an email address." in html
    assert "Sent 2 invites" in html and "Not sent to 2" in html
    box = html[html.index('name="email-addresses"') :]
    box = box[box.index(">") + 1 : box.index("</textarea>")]
    assert box.split() == ["not-an-address", "x@@y"]
    links = []
    for message in mailoutbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert "Platform AI" in message.subject
        body = message.body
        assert "Ada Lovelace invited you to join the team “Platform AI”" in body
        assert "never your email" in body and "They will not see your notes" in body
        for private in ("bea-member", "ada@example.com", "cy@", "Dee@"):
            assert private not in body, private
        (link,) = re.findall(r"http\S+/join/\S+/", body)
        assert link.startswith(f"{django_settings.SITE_URL}/join/")
        links.append(link)
    assert len(set(links)) == 2
    invites = Invite.objects.filter(team=team)
    assert sorted(i.get_absolute_url() for i in invites) == sorted(
        link[link.index("/join/") :] for link in links
    )
    assert all(i.max_uses == 1 and i.created_by == ada for i in invites)
    # Each link still asks for consent, and works once.
    newcomer, other = person("newcomer"), person("other")
    url = links[0][links[0].index("/join/") :]
    assert "I agree" in client_for(newcomer).get(url).content.decode()
    assert client_for(newcomer).post(url, {"agree": "on"}).status_code == 302
    assert client_for(other).post(url, {"agree": "on"}).status_code == 410


def test_invite_by_email_is_bounded(team, mailoutbox):
    many = "\n".join(f"person{n}@example.com" for n in range(51))
    response = email_invites(team, many)
    assert response.status_code == 400
    assert "At most 50 addresses at a time: you gave 51. Nothing was sent." in (
        response.content.decode()
    )
    assert mailoutbox == [] and not Invite.objects.exists()
    assert email_invites(team, "a@example.com " * 5000).status_code == 400  # the whole field
    assert mailoutbox == []
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.com"
    assert len(too_long) > 254
    response = email_invites(team, f"{too_long}\nok@example.com")
    assert f"{too_long}: not an email address." in response.content.decode()
    assert [m.to for m in mailoutbox] == [["ok@example.com"]]
    assert email_invites(team, "ok@example.com", days="31").status_code == 400
    assert email_invites(team, "  ").status_code == 400
    assert len(mailoutbox) == 1


def test_invite_by_email_stops_at_the_teams_cap_of_open_links(team, mailoutbox, settings):
    settings.ACTIVE_INVITES_PER_TEAM = 3
    invite_for(team)
    response = email_invites(team, "a@example.com b@example.com c@example.com")
    assert [m.to[0] for m in mailoutbox] == ["a@example.com", "b@example.com"]
    assert response.status_code == 400
    assert "c@example.com: not sent: The team already has 3 open invite links" in (
        response.content.decode()
    )
    assert Invite.objects.filter(team=team).count() == 3


def test_invite_by_email_is_throttled_per_manager_per_hour(team, mailoutbox, settings):
    settings.TEAM_INVITE_MAILS_PER_HOUR = 2
    response = email_invites(team, "a@example.com b@example.com c@example.com")
    assert response.status_code == 429
    assert [m.to[0] for m in mailoutbox] == ["a@example.com", "b@example.com"]
    assert "c@example.com: not sent: you sent 2 invites in the last hour" in (
        response.content.decode()
    )
    assert email_invites(team, "d@example.com").status_code == 429
    assert len(mailoutbox) == 2 and Invite.objects.filter(team=team).count() == 2
    # Another manager has their own count.
    eve = person("eve")
    Membership.objects.create(team=team, user=eve, role="manager")
    client_for(eve).post(
        reverse("accounts:team_invite_email", args=[team.pk]),
        {"email-addresses": "d@example.com", "email-days": "7"},
    )
    assert len(mailoutbox) == 3


def test_a_mail_that_cannot_go_out_withdraws_its_link(team, mailoutbox, monkeypatch):
    import smtplib

    from django.core.mail import EmailMessage

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    response = email_invites(team, "a@example.com")
    assert "a@example.com: not sent: the mail could not go out just now." in (
        response.content.decode()
    )
    assert Invite.objects.get(team=team).revoked_at is not None


def test_managers_see_everyone_members_see_counts_and_their_own_row(team):
    ada = team.memberships.get().user
    bea, cy = person("bea"), person("cy")
    invite = invite_for(team)
    join(bea, invite)
    join(cy, invite)
    for slug in ("python", "sql", "docker"):
        tick(bea, slug)
    tick(cy, "python", "learning")
    manager_html = client_for(ada).get(team.get_absolute_url()).content.decode()
    assert '<th scope="col">bea</th>' in manager_html and '<th scope="col">cy</th>' in manager_html
    assert manager_html.count('class="cell-done"') == 3
    assert "Nobody has it" in manager_html
    member_html = client_for(cy).get(team.get_absolute_url()).content.decode()
    assert "bea" not in member_html  # no other member's name
    assert "Who knows what" not in member_html
    assert "1 of 3" in member_html  # Python: done by one of three
    assert '<td class="cell-learning">' in member_html  # cy's own Python


def test_the_csv_holds_what_the_page_shows_and_is_safe_in_a_spreadsheet(team):
    ada = team.memberships.get().user
    bea = person("bea")
    bea.display_name = "=HYPERLINK(1)"
    bea.save()
    join(bea, invite_for(team))
    tick(bea, "python")
    response = client_for(ada).get(reverse("accounts:team_csv", args=[team.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, *members = rows
    assert header[:2] == ["member", "% of AI Engineer"]
    names = [row[0] for row in members]
    assert names == ["ada", "'=HYPERLINK(1)"]
    python = header.index("Python")
    assert members[1][python] == "Done" and members[0][python] == "Not started"


def test_leaving_removes_the_member_from_the_page_and_the_csv_at_once(team):
    ada = team.memberships.get().user
    bea = person("bea")
    join(bea, invite_for(team))
    bea_client = client_for(bea)
    bea_client.post(reverse("accounts:team_leave", args=[team.pk]))
    assert not Membership.objects.filter(user=bea).exists()
    assert bea_client.get(team.get_absolute_url()).status_code == 404
    manager = client_for(ada)
    html = manager.get(team.get_absolute_url()).content.decode()
    # Managers are told that bea left (by name, as the consent page says), and nothing else
    # of hers is on the page: not in the plan, the matrix or the members' table.
    lately = html[html.index('id="lately-heading"') : html.index('id="plan-heading"')]
    assert "bea left Platform AI." in lately
    assert "bea" not in html.replace(lately, "")
    assert "bea" not in manager.get(reverse("accounts:team_csv", args=[team.pk])).content.decode()


def test_the_last_owner_hands_over_before_leaving(team):
    ada = team.memberships.get().user
    bea = person("bea")
    join(bea, invite_for(team))
    ada_client = client_for(ada)
    response = ada_client.post(reverse("accounts:team_leave", args=[team.pk]), follow=True)
    assert "only owner" in response.content.decode()
    bea_membership = Membership.objects.get(user=bea)
    # Stepping down alone is refused too: the team keeps an owner.
    mine = Membership.objects.get(user=ada)
    ada_client.post(reverse("accounts:team_role", args=[team.pk, mine.pk]), {"role": "member"})
    assert Membership.objects.get(user=ada).role == "owner"
    ada_client.post(
        reverse("accounts:team_role", args=[team.pk, bea_membership.pk]), {"role": "owner"}
    )
    ada_client.post(reverse("accounts:team_leave", args=[team.pk]))
    assert list(Membership.objects.values_list("user__username", "role")) == [("bea", "owner")]


def test_the_last_member_leaving_ends_the_team(team):
    ada = team.memberships.get().user
    client_for(ada).post(reverse("accounts:team_leave", args=[team.pk]))
    assert not Team.objects.exists()


def test_a_removed_member_loses_access_at_once(team):
    ada = team.memberships.get().user
    bea = person("bea")
    join(bea, invite_for(team))
    bea_client = client_for(bea)
    assert bea_client.get(team.get_absolute_url()).status_code == 200
    membership = Membership.objects.get(user=bea)
    client_for(ada).post(reverse("accounts:team_remove", args=[team.pk, membership.pk]))
    assert bea_client.get(team.get_absolute_url()).status_code == 404


def test_a_manager_cannot_remove_an_owner_and_a_member_removes_no_one(team):
    ada_membership = team.memberships.get()
    bea, cy = person("bea"), person("cy")
    invite = invite_for(team)
    join(bea, invite)
    join(cy, invite)
    Membership.objects.filter(user=bea).update(role="manager")
    client_for(bea).post(reverse("accounts:team_remove", args=[team.pk, ada_membership.pk]))
    assert Membership.objects.filter(pk=ada_membership.pk).exists()
    cy_membership = Membership.objects.get(user=cy)
    response = client_for(cy).post(
        reverse("accounts:team_remove", args=[team.pk, ada_membership.pk])
    )
    assert response.status_code == 404
    response = client_for(bea).post(
        reverse("accounts:team_role", args=[team.pk, cy_membership.pk]), {"role": "owner"}
    )
    assert response.status_code == 404  # only owners hand out roles
    assert Membership.objects.get(user=cy).role == "member"


def team_urls(team, member_pk, invite_pk):
    return {
        ("get", reverse("accounts:team", args=[team.pk])): "member",
        ("get", reverse("accounts:team_csv", args=[team.pk])): "manager",
        ("get", reverse("accounts:team_plan_csv", args=[team.pk])): "manager",
        ("get", reverse("accounts:team_members", args=[team.pk])): "manager",
        ("post", reverse("accounts:team_invite", args=[team.pk])): "manager",
        ("post", reverse("accounts:team_invite_email", args=[team.pk])): "manager",
        ("post", reverse("accounts:team_invite_revoke", args=[team.pk, invite_pk])): "manager",
        ("post", reverse("accounts:team_remove", args=[team.pk, member_pk])): "manager",
        ("post", reverse("accounts:team_role", args=[team.pk, member_pk])): "owner",
        ("post", reverse("accounts:team_leave", args=[team.pk])): "member",
        ("post", reverse("accounts:team_suggest", args=[team.pk, member_pk])): "manager",
        ("post", reverse("accounts:team_suggestion", args=[team.pk])): "member",
        ("get", reverse("accounts:team_welcome", args=[team.pk])): "member",
    }


LEVEL = {"stranger": 0, "staff": 0, "member": 1, "manager": 2, "owner": 3}


@pytest.mark.parametrize("who", ["anonymous", "stranger", "staff", "member", "manager", "owner"])
def test_every_team_url_answers_only_those_it_is_for(team, who):
    owner = team.memberships.get()
    people = {"member": person("mem"), "manager": person("man")}
    invite = invite_for(team)
    for role, user in people.items():
        Membership.objects.create(team=team, user=user, role=role)
    target = Membership.objects.get(user=people["member"])
    users = {
        **people,
        "owner": owner.user,
        "stranger": person("stranger"),
        "staff": User.objects.create_user("staff", "staff@example.com", PASSWORD, is_staff=True),
    }
    client = Client() if who == "anonymous" else client_for(users[who])
    for (method, url), needs in team_urls(team, target.pk, invite.pk).items():
        if "leave" in url or "remove" in url:
            continue  # checked below, as they change who is in the team
        data = {"role": "member", "days": "1", "email-addresses": "x@example.com"}
        response = getattr(client, method)(url, {**data, "email-days": "1"})
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif LEVEL[who] >= LEVEL[needs]:
            assert response.status_code in (200, 302), (url, who)
        else:
            assert response.status_code == 404, (url, who)
    leave = reverse("accounts:team_leave", args=[team.pk])
    remove = reverse("accounts:team_remove", args=[team.pk, target.pk])
    if who in ("stranger", "staff"):
        assert client.post(leave).status_code == 404
        assert client.post(remove).status_code == 404
        assert Membership.objects.filter(team=team).count() == 3


def test_deleting_the_owners_account_hands_the_team_over_or_ends_it(team):
    ada = team.memberships.get().user
    bea, cy = person("bea"), person("cy")
    invite = invite_for(team)
    join(bea, invite)
    join(cy, invite)
    Membership.objects.filter(user=cy).update(role="manager")
    lone = Team.objects.create(name="Alone", reference_role=team.reference_role)
    Membership.objects.create(team=lone, user=ada, role="owner")
    client_for(ada).post(reverse("accounts:delete_account"), {"confirm": "ada"})
    assert Membership.objects.get(user=cy).role == "owner"  # the manager, before the member
    assert not Team.objects.filter(name="Alone").exists()


def admin_delete(admin_client, users, bulk):
    """Delete `users` in admin: one by one from each user's page, or all at once with the
    changelist's "delete selected" action."""
    if bulk:
        response = admin_client.post(
            "/admin/accounts/user/",
            {
                "action": "delete_selected",
                "_selected_action": [u.pk for u in users],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        return
    for user in users:
        response = admin_client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302


@pytest.mark.parametrize("bulk", [False, True], ids=["one", "delete-selected"])
def test_deleting_users_in_admin_hands_teams_over_like_deleting_ones_own(admin_client, team, bulk):
    ada = team.memberships.get().user
    bea, cy = person("bea"), person("cy")
    invite = invite_for(team)
    join(bea, invite)
    lone = Team.objects.create(name="Alone", reference_role=team.reference_role)
    Membership.objects.create(team=lone, user=cy, role="owner")
    lone_invite = invite_for(lone)
    Client().post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    Client().post("/accounts/login/", {"username": "ada@example.com", "password": "wrong"})
    assert AccessLog.objects.filter(username="ada").exists()
    admin_delete(admin_client, [ada, cy], bulk)
    assert not User.objects.filter(username__in=["ada", "cy"]).exists()
    assert Membership.objects.get(team=team).role == "owner"  # bea, the one left
    assert not Team.objects.filter(name="Alone").exists()
    assert not Invite.objects.filter(pk=lone_invite.pk).exists()
    for model in (AccessLog, AccessAttempt):
        assert not model.objects.filter(username__in=["ada", "ada@example.com"]).exists()


def test_managers_filter_the_matrix_by_area_status_and_gaps(team):
    ada = team.memberships.get().user
    bea = person("bea")
    join(bea, invite_for(team))
    tick(bea, "python")
    tick(bea, "sql", "learning")
    client = client_for(ada)
    url = team.get_absolute_url()

    def skills(response):
        html = response.content.decode()
        return set(re.findall(r"<th scope=\"row\">\s*<a href=\"/skills/([-\w]+)/\"", html))

    everything = skills(client.get(url))
    assert {"python", "sql", "docker"} <= everything
    assert skills(client.get(url, {"area": "Programming"})) == {"python", "sql"}
    assert skills(client.get(url, {"status": "learning"})) == {"sql"}
    gaps = skills(client.get(url, {"gaps": "on"}))
    assert "docker" in gaps and "python" in gaps  # nobody, and only one person
    assert "calculus" not in gaps  # recommended, not core
    # With htmx, the matrix alone comes back.
    fragment = client.get(url, {"area": "Programming"}, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="matrix"')
    # A filter it does not know: a 400 that says so and shows every skill.
    response = client.get(url, {"area": "Cooking"})
    assert response.status_code == 400
    assert "Some filters were not understood" in response.content.decode()
    assert skills(response) == everything


def test_the_filters_show_what_was_chosen_when_the_page_comes_from_the_cache(team):
    ada = team.memberships.get().user
    client = client_for(ada)
    url = team.get_absolute_url()

    def chosen(response):
        html = response.content.decode()
        filters = html[
            html.index('<form class="filters"') : html.index(
                "</form>", html.index('class="filters"')
            )
        ]
        return set(re.findall(r'<option value="([^"]*)" selected>', filters)), "checked" in filters

    assert chosen(client.get(url)) == ({""}, False)
    for _ in range(2):  # rendered, then from the cache
        response = client.get(url, {"order": "name", "area": "Programming", "gaps": "on"})
        assert chosen(response) == ({"", "name", "Programming"}, True)
    assert chosen(client.get(url)) == ({""}, False)
    # Not understood: the form as sent, never another visitor's cached choice.
    response = client.get(url, {"order": "name", "area": "Cooking"})
    assert response.status_code == 400
    assert chosen(response) == ({"", "name"}, False)
    # The invite forms are there, empty, every time.
    html = client.get(url).content.decode()
    assert 'name="days" value="7"' in html and 'name="email-addresses"' in html


@pytest.mark.parametrize(
    "endpoint, fields",
    [
        ("teams", ["name", "reference_role"]),
        ("team_invite", ["days", "max_uses"]),
        ("team_invite_email", ["email-addresses", "email-days"]),
        ("team_role", ["role"]),
        ("join_team", ["agree"]),
        ("team", ["area", "status", "gaps", "measure", "order"]),
    ],
)
def test_team_forms_never_fail_and_keep_the_team_whole(team, endpoint, fields):
    from hypothesis import given
    from hypothesis import strategies as st

    from .test_bad_input import RUNS, form_data

    ada_membership = team.memberships.get()
    bea = person("bea")
    bea_membership = Membership.objects.create(team=team, user=bea)
    invite = invite_for(team)
    urls = {
        "teams": reverse("accounts:teams"),
        "team_invite": reverse("accounts:team_invite", args=[team.pk]),
        "team_invite_email": reverse("accounts:team_invite_email", args=[team.pk]),
        "team_role": reverse("accounts:team_role", args=[team.pk, bea_membership.pk]),
        "join_team": reverse("accounts:join_team", args=[invite.token]),
        "team": team.get_absolute_url(),
    }
    who = person("newcomer") if endpoint == "join_team" else ada_membership.user
    client = client_for(who)

    @RUNS
    @given(data=form_data(fields), htmx=st.booleans())
    def check(data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        method = client.get if endpoint == "team" else client.post
        response = method(urls[endpoint], data, headers=headers)
        assert response.status_code < 500
        assert Membership.objects.filter(team=team, role="owner").exists()

    check()


def test_a_suggested_target_changes_nothing_until_the_member_accepts(team):
    ada = team.memberships.get().user
    bea = person("bea", target="ai-engineer")
    join(bea, invite_for(team))
    membership = Membership.objects.get(user=bea)
    head = Role.objects.get(slug="head-of-ai")
    bea_client = client_for(bea)
    assert "A suggestion from" not in bea_client.get("/path/").content.decode()  # cached now
    client_for(ada).post(
        reverse("accounts:team_suggest", args=[team.pk, membership.pk]), {"role": head.pk}
    )
    bea.refresh_from_db()
    assert bea.target_role.slug == "ai-engineer"
    html = bea_client.get("/path/").content.decode()
    assert "A suggestion from Platform AI" in html and "Head of AI" in html
    bea_client.post(reverse("accounts:team_suggestion", args=[team.pk]), {"action": "decline"})
    bea.refresh_from_db()
    assert bea.target_role.slug == "ai-engineer"
    assert "A suggestion from" not in bea_client.get("/path/").content.decode()
    client_for(ada).post(
        reverse("accounts:team_suggest", args=[team.pk, membership.pk]), {"role": head.pk}
    )
    bea_client.post(reverse("accounts:team_suggestion", args=[team.pk]), {"action": "accept"})
    bea.refresh_from_db()
    assert bea.target_role == head
    # A member cannot suggest, and a nonsense role is refused without a 500.
    cy = person("cy")
    join(cy, invite_for(team))
    cy_membership = Membership.objects.get(user=cy)
    url = reverse("accounts:team_suggest", args=[team.pk, cy_membership.pk])
    assert client_for(bea).post(url, {"role": head.pk}).status_code == 404
    assert client_for(ada).post(url, {"role": "9" * 30}).status_code == 302
    assert Membership.objects.get(user=cy).suggested_role is None


def test_the_matrix_switches_to_each_members_target_and_sorts_members(team):
    ada = team.memberships.get().user  # aims for Senior AI Engineer
    zoe = person("zoe", target="data-analyst")
    bea = person("bea", target="head-of-ai")
    invite = invite_for(team)
    join(zoe, invite)
    join(bea, invite)
    for slug in ("python", "sql", "statistics"):
        tick(zoe, slug)
    client = client_for(ada)
    url = team.get_absolute_url()

    def columns(response):
        html = response.content.decode()
        matrix = html[html.index('id="matrix"') :]
        head = matrix[: matrix.index("</thead>")]
        return re.findall(r'<th scope="col">([^<]+)</th>', head)[2:]

    assert columns(client.get(url)) == ["ada", "zoe", "bea"]
    assert columns(client.get(url, {"order": "name"})) == ["ada", "bea", "zoe"]
    assert columns(client.get(url, {"order": "progress"}))[0] == "zoe"
    html = client.get(url, {"measure": "target"}).content.decode()
    # Head of AI asks for skills a Data Analyst's target does not: said, not left blank.
    assert 'class="cell-not_asked"' in html and "Not in their target" in html
    # Members cannot change what the page measures: they always get the team's role.
    html = client_for(zoe).get(url, {"measure": "target"}).content.decode()
    assert "Not in their target" not in html


def test_the_csv_follows_what_the_page_shows(team):
    ada = team.memberships.get().user
    client = client_for(ada)
    page = client.get(team.get_absolute_url(), {"area": "Programming"}).content.decode()
    assert "team.csv?area=Programming" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("accounts:team_csv", args=[team.pk]), {"area": "Programming"}
                ).content.decode()
            )
        )
    )
    assert rows[0][6:] == ["Python", "SQL"]


def test_the_csv_header_is_safe_in_a_spreadsheet_too(team):
    from roadmap.models import RoleSkill, SkillArea

    Skill.objects.create(
        slug="formula",
        name='=HYPERLINK("http://example.com","x")',
        area=SkillArea.objects.first(),
        summary="A skill whose name a spreadsheet would run.",
    )
    RoleSkill.objects.create(role=team.reference_role, skill=Skill.objects.get(slug="formula"))
    ada = team.memberships.get().user
    response = client_for(ada).get(reverse("accounts:team_csv", args=[team.pk]))
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert '\'=HYPERLINK("http://example.com","x")' in header
    assert not any(name[:1] in "=+-@\t\r" for name in header)


def test_a_removed_member_cannot_rejoin_by_the_old_link_but_can_by_a_new_one(team):
    ada = team.memberships.get().user
    bea = person("bea")
    old = invite_for(team, max_uses=5)
    join(bea, old)
    membership = Membership.objects.get(user=bea)
    client_for(ada).post(reverse("accounts:team_remove", args=[team.pk, membership.pk]))
    url = reverse("accounts:join_team", args=[old.token])
    page = client_for(bea).get(url)
    assert page.status_code == 403
    assert "You were removed from this team" in page.content.decode()
    assert "Ask the team's managers for a new one." in page.content.decode()
    response = join(bea, old)
    assert response.status_code == 403
    assert "You were removed from this team" in response.content.decode()
    assert not Membership.objects.filter(user=bea).exists()
    old.refresh_from_db()
    assert old.uses == 1
    # The same link still works for everyone else, and a new one works for her.
    assert join(person("cy"), old).status_code == 302
    assert join(bea, invite_for(team)).status_code == 302
    assert Membership.objects.filter(user=bea, team=team).exists()


def test_starting_teams_stops_at_the_cap_and_keeps_the_form(settings):
    settings.TEAMS_OWNED_PER_PERSON = 2
    ada = person("ada")
    client = client_for(ada)
    role = Role.objects.get(slug="senior-ai-engineer").pk
    for name in ("One", "Two"):
        assert (
            client.post(
                reverse("accounts:teams"), {"name": name, "reference_role": role}
            ).status_code
            == 302
        )
    response = client.post(reverse("accounts:teams"), {"name": "Three", "reference_role": role})
    assert response.status_code == 400
    html = response.content.decode()
    assert "the most one person may" in html
    assert 'value="Three"' in html  # the form is kept
    assert not Team.objects.filter(name="Three").exists()
    # Another person is not held back by ada's teams.
    assert (
        client_for(person("bea"))
        .post(reverse("accounts:teams"), {"name": "Three", "reference_role": role})
        .status_code
        == 302
    )


def test_invite_links_stop_at_the_cap_and_keep_the_form(team, settings):
    settings.ACTIVE_INVITES_PER_TEAM = 2
    ada = team.memberships.get().user
    client = client_for(ada)
    url = reverse("accounts:team_invite", args=[team.pk])
    invite_for(team, revoked_at=timezone.now())  # withdrawn: not counted
    invite_for(team, expires_at=timezone.now() - datetime.timedelta(days=1))  # expired
    for _ in range(2):
        assert client.post(url, {"days": "3", "max_uses": "4"}).status_code == 302
    response = client.post(url, {"days": "9", "max_uses": "17"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Invite not made: The team already has 2 open invite links" in html
    assert 'value="9"' in html and 'value="17"' in html  # the form is kept
    assert Invite.objects.filter(team=team).count() == 4
    withdrawn = Invite.objects.filter(team=team, revoked_at=None, max_uses=4).first()
    client.post(reverse("accounts:team_invite_revoke", args=[team.pk, withdrawn.pk]))
    assert client.post(url, {"days": "9", "max_uses": "17"}).status_code == 302


# ------------------------------------------------------ races, on PostgreSQL with threads


def at_once(*requests):
    """Run each (user, url, data) as a POST in its own thread, released together; the
    status codes in the same order (a 500 is a status here, not an exception)."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def worker(i, user, url, data):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait()
        try:
            results[i] = client.post(url, data).status_code
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=worker, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_joins_by_one_person_make_one_membership_and_count_one_use(catalogue, team):
    invite = invite_for(team, max_uses=5)
    bea = person("bea")
    url = reverse("accounts:join_team", args=[invite.token])
    results = at_once(*[(bea, url, {"agree": "on"})] * 6)
    assert results == [302] * 6
    assert Membership.objects.filter(team=team, user=bea).count() == 1
    invite.refresh_from_db()
    assert invite.uses == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_an_owner(catalogue, team):
    ada = team.memberships.get()
    bea = Membership.objects.create(team=team, user=person("bea"), role="owner")
    for _ in range(6):
        Membership.objects.filter(pk__in=[ada.pk, bea.pk]).update(role="owner")
        results = at_once(
            (ada.user, reverse("accounts:team_role", args=[team.pk, bea.pk]), {"role": "member"}),
            (bea.user, reverse("accounts:team_role", args=[team.pk, ada.pk]), {"role": "member"}),
        )
        # Either both are taken in turn (the second refused with a message: the team needs
        # an owner), or the first demotion lands before the second is read: its sender is no
        # longer an owner, and may not hand out roles (404). Never a 500, never no owner.
        assert sorted(results) in ([302, 302], [302, 404])
        assert Membership.objects.filter(team=team, role="owner").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_leaving_at_once_leave_an_owner_and_no_500(catalogue, team):
    ada = team.memberships.get().user
    bea, cy = person("bea"), person("cy")
    Membership.objects.create(team=team, user=cy)
    for _ in range(6):
        for user in (ada, bea):
            Membership.objects.update_or_create(team=team, user=user, defaults={"role": "owner"})
        leave = reverse("accounts:team_leave", args=[team.pk])
        assert at_once((ada, leave, {}), (bea, leave, {})) == [302, 302]
        # One of them left; the other is the owner, told to hand over first.
        owners = Membership.objects.filter(team=team, role="owner")
        assert owners.count() == 1
        assert Membership.objects.filter(team=team).count() == 2


def matrix_rows(html):
    """Each skill row of the manager's matrix: (slug, cells saying "Done", warning text,
    whether it is a core skill)."""
    matrix = html[html.index('id="matrix"') : html.index('id="members-heading"')]
    rows = []
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", matrix, re.S):
        slug = re.search(r'href="/skills/([-\w]+)/"', row).group(1)
        warning = re.search(r'class="warning-inline">([^<]+)<', row)
        done = len(re.findall(r"<td class=\"cell-done[^\"]*\">", row))
        core = "badge-recommended" not in row
        rows.append((slug, done, warning.group(1) if warning else "", core))
    return rows


def test_the_warning_counts_the_people_the_cells_show_in_every_measure_and_filter(team):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from .test_bad_input import RUNS

    ada = team.memberships.get().user
    people = [ada, person("bea"), person("cy"), person("dee")]
    for user in people[1:]:
        Membership.objects.create(team=team, user=user)
    skills = {s.slug: s for s in Skill.objects.filter(slug__in=["python", "rag", "docker"])}
    roles = {r.slug: r for r in Role.objects.all()}
    client = client_for(ada)
    statuses = st.sampled_from(["done", "learning", "skipped", None])

    @settings(RUNS, max_examples=15)
    @given(
        targets=st.lists(
            st.sampled_from([None, "data-analyst", "ai-engineer", "head-of-ai"]),
            min_size=4,
            max_size=4,
        ),
        progress=st.lists(
            st.fixed_dictionaries({slug: statuses for slug in skills}), min_size=4, max_size=4
        ),
        query=st.fixed_dictionaries(
            {
                "measure": st.sampled_from(["reference", "target"]),
                "status": st.sampled_from(["", "done", "learning", "not_started"]),
                "gaps": st.sampled_from(["", "on"]),
            }
        ),
    )
    def check(targets, progress, query):
        SkillProgress.objects.filter(user__in=people).delete()
        for user, target, ticks in zip(people, targets, progress, strict=True):
            User.objects.filter(pk=user.pk).update(target_role=roles.get(target))
            SkillProgress.objects.bulk_create(
                SkillProgress(user=user, skill=skills[slug], status=status)
                for slug, status in ticks.items()
                if status
            )
        html = client.get(team.get_absolute_url(), query).content.decode()
        for slug, done, warning, core in matrix_rows(html):
            # Whoever has done it, in their target or not, has a cell that says so.
            if slug in skills:
                assert done == sum(p[slug] == "done" for p in progress), (slug, query)
            if warning == "Nobody has it":
                assert done == 0, (slug, query)
            elif warning == "Only one person has it":
                assert done == 1, (slug, query)
            else:
                assert warning == "" and (done >= 2 or not core), (slug, query)

    check()


def test_a_skill_done_outside_someones_target_shows_and_counts(team):
    ada = team.memberships.get().user  # aims for Senior AI Engineer
    zoe = person("zoe", target="data-analyst")  # RAG is not in a Data Analyst's target
    join(zoe, invite_for(team))
    tick(ada, "rag")
    tick(zoe, "rag")
    html = client_for(ada).get(team.get_absolute_url(), {"measure": "target"}).content.decode()
    rag = next(row for row in matrix_rows(html) if row[0] == "rag")
    assert rag[1] == 2 and rag[2] == ""  # not "Only one person has it"
    assert "Done (not in their target)" in html


def plan_for(user, slug, status="planned"):
    from roadmap.models import Certification, CertificationProgress

    CertificationProgress.objects.create(
        user=user, certification=Certification.objects.get(slug=slug), status=status
    )


def test_the_plan_shows_coverage_bus_factor_trend_exam_costs_and_skills_to_hire_for(team):
    from accounts.coverage import team_coverage
    from accounts.dashboard import team_plan

    ada = team.memberships.get().user
    bea, cy = person("bea"), person("cy")
    invite = invite_for(team)
    join(bea, invite)
    join(cy, invite)
    tick(bea, "python")
    tick(cy, "python")
    tick(bea, "sql")
    tick(cy, "docker", "learning")
    # Bea completed Python five weeks ago, Cy a moment ago; Bea's SQL has no completion time
    # (credited from her current role): held all along.
    SkillProgress.objects.filter(user=bea, skill__slug="python").update(
        completed_at=timezone.now() - datetime.timedelta(weeks=5)
    )
    SkillProgress.objects.filter(user=cy, skill__slug="python").update(
        completed_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    plan_for(bea, "aws-ml-specialty")  # USD 300 from three sources
    plan_for(cy, "aws-ai-practitioner", "preparing")  # USD 100
    plan_for(cy, "ibm-ai-engineering")  # no sourced cost
    plan_for(ada, "google-professional-ml-engineer", "earned")  # paid: not counted
    plan = team_plan(team_coverage(team, list(team.memberships.select_related("user"))))
    programming = next(a for a in plan.areas if a.area == "Programming")
    assert (programming.skills, programming.by_one, programming.by_two) == (2, 2, 1)
    assert [s.slug for s in plan.single] == ["sql"]
    nobody = {s.slug for s in plan.nobody}
    assert "docker" in nobody and "python" not in nobody
    hire = {s.slug for s in plan.hire}
    assert "docker" not in hire  # Cy is learning it
    assert hire == nobody - {"docker"}
    # Twelve weekly points: Python went from one holder to two in the last week.
    assert len(plan.weeks) == 12
    assert plan.weeks[-1].two == 1 and plan.weeks[-2].two == 0
    assert plan.weeks[-1].one == 1 and plan.weeks[-2].one == 2  # SQL; SQL and Python
    assert plan.weeks[0].one == 1 and plan.weeks[0].nobody == plan.weeks[-2].nobody + 1
    assert [label for *_, label in plan.budget.totals] == ["USD 400"]
    assert plan.budget.sourced == 2
    assert [c.slug for c in plan.budget.unsourced] == ["ibm-ai-engineering"]

    html = client_for(ada).get(team.get_absolute_url()).content.decode()
    assert html.index("The plan") < html.index("Who knows what")
    assert "USD 400" in html and "1 plan without a sourced cost" in html
    assert '<svg viewBox="0 0 640 140"' in html and "Week of" in html
    response = client_for(ada).get(reverse("accounts:team_plan_csv", args=[team.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["exam cost", "USD", "400.00", "2 plans with a sourced cost"] in rows
    assert ["held by one person", "SQL", "1", "core skill"] in rows
    assert sum(row[0] == "week" for row in rows) == 12
    assert ["exam cost", "plans without a sourced cost", "1", ""] in rows
    # Members see no plan and cannot download it.
    assert "The plan" not in client_for(bea).get(team.get_absolute_url()).content.decode()
    assert (
        client_for(bea).get(reverse("accounts:team_plan_csv", args=[team.pk])).status_code == 404
    )


def test_managers_hear_of_joins_leaves_removals_and_answers_never_of_notes(team, mailoutbox):
    from roadmap.digests import run
    from roadmap.models import Notice

    ada = team.memberships.get().user
    ada.notify_by_email = True
    ada.save()
    man = person("man")
    Membership.objects.create(team=team, user=man, role="manager")
    bea, cy = person("bea"), person("cy")
    invite = invite_for(team)
    join(bea, invite)
    join(cy, invite)
    tick(bea, "python")
    SkillProgress.objects.filter(user=bea).update(note="my private note")
    bea_membership = Membership.objects.get(user=bea)
    head = Role.objects.get(slug="head-of-ai")
    client_for(ada).post(
        reverse("accounts:team_suggest", args=[team.pk, bea_membership.pk]), {"role": head.pk}
    )
    client_for(bea).post(reverse("accounts:team_suggestion", args=[team.pk]), {"action": "accept"})
    client_for(cy).post(reverse("accounts:team_leave", args=[team.pk]))
    client_for(man).post(reverse("accounts:team_remove", args=[team.pk, bea_membership.pk]))
    ada_news = [n.team_event.summary for n in Notice.objects.filter(user=ada).order_by("pk")]
    assert ada_news == [
        "bea joined Platform AI.",
        "cy joined Platform AI.",
        "bea accepted the suggested target (Head of AI) in Platform AI.",
        "cy left Platform AI.",
        "bea was removed from Platform AI.",
    ]
    # The manager who removed bea is not told what they did; members are told nothing.
    assert Notice.objects.filter(user=man).count() == 4
    assert not Notice.objects.filter(user__in=[bea, cy]).exists()
    # In the app: on the team page (then seen), and on the notices page.
    html = client_for(man).get(team.get_absolute_url()).content.decode()
    assert "Lately in this team" in html and "cy left Platform AI." in html
    assert "badge-new" in html
    assert not Notice.objects.filter(user=man, seen_at__isnull=True).exists()
    # In the opt-in digest: ada opted in, man did not.
    run()
    assert [m.to for m in mailoutbox] == [["ada@example.com"]]
    body = mailoutbox[0].body
    assert "5 team updates" in mailoutbox[0].subject
    assert "bea was removed from Platform AI." in body and "my private note" not in body
    assert "my private note" not in html


def big_team(size):
    """A team of an owner and `size` members measured against Senior AI Engineer (41 skills
    with the rungs below), as the benchmark's: every member has a status on every skill
    (some checked) and a certification plan."""
    from roadmap.models import Certification, CertificationProgress

    senior = Role.objects.get(slug="senior-ai-engineer")
    team = Team.objects.create(name="Platform AI", reference_role=senior)
    lead = person("lead")
    Membership.objects.create(team=team, user=lead, role="owner")
    users = User.objects.bulk_create(
        User(username=f"bench-user-{n}", target_role=senior) for n in range(1, size + 1)
    )
    Membership.objects.bulk_create(Membership(team=team, user=user) for user in users)
    cycle = ["done", "learning", "skipped", "not_started"]
    now = timezone.now()
    SkillProgress.objects.bulk_create(
        SkillProgress(
            user=user,
            skill=skill,
            status=cycle[(n + k) % 4],
            completed_at=now,
            checked_at=now if (n + k) % 8 == 0 else None,
        )
        for n, user in enumerate(users)
        for k, skill in enumerate(Skill.objects.order_by("pk"))
    )
    certifications = list(Certification.objects.order_by("pk")[:6])
    CertificationProgress.objects.bulk_create(
        CertificationProgress(user=user, certification=certifications[n % 6], status="planned")
        for n, user in enumerate(users)
    )
    return team, lead, users


def matrix_columns(html):
    matrix = html[html.index('id="matrix"') :]
    return re.findall(r'<th scope="col">([^<]+)</th>', matrix[: matrix.index("</thead>")])[2:]


def members_rows(html):
    table = html[html.index('id="members-table"') :]
    return re.findall(r'<th scope="row">([^<]+)</th>', table[: table.index("</table>")])


def test_a_200_member_team_opens_on_a_page_of_members_under_10_kb_gzipped():
    import gzip

    from accounts.views.teams import MEMBERS_PER_PAGE

    team, lead, users = big_team(200)
    client = client_for(lead)
    url = team.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    size = len(gzip.compress(response.content, 6))
    assert size < 10 * 1024, f"{size} bytes gzipped, {len(response.content)} raw"
    # The first page: the lead and the first members, in the matrix and in the members' table.
    first = ["lead"] + [u.username for u in users[: MEMBERS_PER_PAGE - 1]]
    assert matrix_columns(html) == first
    assert members_rows(html) == first
    assert "Members 1 to 20 of 201" in html
    # Counts and warnings are for every member, not the page: a quarter of 200 did Python.
    python = re.search(r'/skills/python/">Python</a>\s*</th>\s*<td>(\d+) \((\d+) checked\)', html)
    assert (
        int(python.group(1))
        == SkillProgress.objects.filter(
            skill__slug="python", status="done", user__in=users
        ).count()
    )
    assert int(python.group(2)) > 0
    # The plan is about everyone.
    assert "for today's 201 members" in html
    assert f"?page={-(-201 // MEMBERS_PER_PAGE)}#matrix-heading" in html


def test_every_member_is_on_one_page_with_and_without_javascript_and_filters_hold():
    from accounts.views.teams import MEMBERS_PER_PAGE

    team, lead, users = big_team(45)
    client = client_for(lead)
    url = team.get_absolute_url()
    seen, rows = [], []
    for number in (1, 2, 3):
        html = client.get(url, {"page": number}).content.decode()
        seen += matrix_columns(html)
        rows += members_rows(html)
    assert seen == rows == ["lead"] + [u.username for u in users]
    # A done-and-checked cell shows where its member is (bench-user-1 checked skill 7).
    html = client.get(url, {"page": 1}).content.decode()
    assert "Done, checked" in html and 'class="cell-done cell-checked"' in html
    # With htmx, a page comes back as the matrix and, out of band, the members' table.
    fragment = client.get(url, {"page": 2}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="matrix"')
    assert '<div id="members-table" hx-swap-oob="true">' in fragment
    assert matrix_columns(fragment) == members_rows(fragment) == seen[20:40]
    assert "<html" not in fragment
    # Filters and order apply to every member before paging, and the pager keeps them.
    by_name = sorted(["lead"] + [u.username for u in users], key=str.lower)
    html = client.get(url, {"order": "name", "area": "Programming", "page": 2}).content.decode()
    assert matrix_columns(html) == by_name[MEMBERS_PER_PAGE : 2 * MEMBERS_PER_PAGE]
    assert "?order=name&amp;area=Programming&amp;page=3#matrix-heading" in html
    assert "team.csv?order=name&amp;area=Programming" in html
    # Anything that is not a page shows the first; past the last, the last; never a 500.
    last = [u.username for u in users[2 * MEMBERS_PER_PAGE - 1 :]]
    for page, columns in [
        ("x", seen[:20]),
        ("-1", seen[:20]),
        ("9" * 40, seen[:20]),
        ("99", last),
    ]:
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        assert matrix_columns(response.content.decode()) == columns


def test_the_csv_holds_every_member_whatever_page_the_matrix_shows():
    team, lead, users = big_team(45)
    client = client_for(lead)
    page = client.get(team.get_absolute_url(), {"page": 3}).content.decode()
    assert f'href="/teams/{team.pk}/team.csv"' in page  # the page is not a filter
    answer = client.get(reverse("accounts:team_csv", args=[team.pk]), {"page": 3})
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert [row[0] for row in rows[1:]] == ["lead"] + [u.username for u in users]
    skills = re.findall(r'<th scope="row">\s*<a href="/skills/', page)
    assert len(rows[0]) == 6 + len(skills) > 6 + 40  # every skill of the reference role


def test_the_kept_team_page_changes_at_once_with_what_any_member_does(team):
    """The plan, the matrix and the members' table are kept between requests
    (roadmap/caching.py team_key): whatever a member changes shows on the next request."""
    from roadmap.models import Certification, CertificationProgress

    ada = team.memberships.get().user
    bea = person("bea")
    join(bea, invite_for(team))
    client = client_for(ada)
    url = team.get_absolute_url()

    def bea_on(slug):
        html = client.get(url).content.decode()
        matrix = html[html.index('id="matrix"') :]
        row = re.search(rf'/skills/{slug}/".*?</tr>', matrix, re.S).group(0)
        return re.findall(r'<td class="([^"]+)"', row)[1]  # ada's cell, then bea's

    assert bea_on("python") == "cell-not_started"
    tick(bea, "python")
    assert bea_on("python") == "cell-done"
    progress = SkillProgress.objects.get(user=bea, skill__slug="python")
    progress.checked_at = timezone.now()
    progress.save()
    assert bea_on("python") == "cell-done cell-checked"
    CertificationProgress.objects.create(
        user=bea, certification=Certification.objects.first(), status="planned"
    )
    assert Certification.objects.first().name in client.get(url).content.decode()
    User.objects.filter(pk=bea.pk).update(display_name="Beatrice")
    assert "Beatrice" in members_rows(client.get(url).content.decode())
    Membership.objects.filter(user=bea).update(role="manager")
    html = client.get(url).content.decode()
    assert "Manager" in html[html.index('id="members-table"') :]
    client_for(bea).post(reverse("accounts:team_leave", args=[team.pk]))
    assert members_rows(client.get(url).content.decode()) == ["ada"]


def member_row(html, name):
    """The cells of one member's row in the manager's members table, tags stripped."""
    table = html[html.index('id="members-heading"') :]
    row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', table, re.S).group(1)
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_members_table_shows_each_ones_target_last_activity_and_plan_flagged(team):
    from roadmap.models import Certification

    ada = team.memberships.get().user  # aims for Senior AI Engineer
    bea = person("bea", target="data-analyst")
    join(bea, invite_for(team))
    tick(bea, "python")
    plan_for(bea, "azure-ai-engineer-associate")  # retired, one successor
    plan_for(bea, "aws-ml-specialty", "preparing")  # retired, three successors
    retires = timezone.localdate() + datetime.timedelta(days=40)
    Certification.objects.filter(slug="ibm-ai-engineering").update(retires_on=retires)
    plan_for(ada, "ibm-ai-engineering")
    plan_for(ada, "tensorflow-developer-certificate", "earned")  # retired, no successor
    plan_for(ada, "google-professional-ml-engineer")  # neither
    html = client_for(ada).get(team.get_absolute_url()).content.decode()

    owner, member = member_row(html, "ada"), member_row(html, "bea")
    assert re.sub(r"\s+", " ", owner[2]) == "0% of Senior AI Engineer"
    assert re.sub(r"\s+", " ", member[2]) == "20% of Data Analyst"  # Python of five
    assert owner[3] == "never" and member[3] == f"{timezone.localdate():%-d %b %Y}"
    assert member[4] == (
        '<a href="/certifications/azure-ai-engineer-associate/">Microsoft Certified: Azure AI'
        " Engineer Associate</a> (Planned; retired, succeeded by Azure AI Apps and Agents"
        ' Developer Associate), <a href="/certifications/aws-ml-specialty/">AWS Certified'
        " Machine Learning – Specialty</a> (Preparing; retired, succeeded by AWS Certified AI"
        " Practitioner or AWS Certified Generative AI Developer – Professional or AWS Certified"
        " Machine Learning Engineer – Associate)"
    )
    for plan in (
        '<a href="/certifications/ibm-ai-engineering/">IBM AI Engineering Professional'
        f" Certificate</a> (Planned; retires {retires:%-d %b %Y})",
        '<a href="/certifications/tensorflow-developer-certificate/">TensorFlow Developer'
        " Certificate</a> (Earned; retired)",
        '<a href="/certifications/google-professional-ml-engineer/">Google Professional'
        " Machine Learning Engineer</a> (Planned)",
    ):
        assert plan in owner[4]
    assert owner[4].count("</a> (") == 3
