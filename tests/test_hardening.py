"""Regression tests for what an outside attack on a production-mode copy found (issue 9):
each failed before the fix."""

import datetime
import importlib
import ipaddress
import json
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, DataError, IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Invite, Team, User
from roadmap import importing
from roadmap.models import (
    Certification,
    CertificationProgress,
    Role,
    Skill,
    SkillProgress,
)

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db

IMPORT = "/path/import/"


def export(entries, indent=2):
    return json.dumps({"format": importing.FORMAT, "progress": entries}, indent=indent)


def skills():
    return {s.slug: s for s in Skill.objects.all()}


# --------------------------------------------------------------- 1. import is bounded


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


# ------------------------------------------- 3 and 5. dates that could not be read back


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


def test_the_model_refuses_times_outside_the_range(alice):
    docker = Skill.objects.get(slug="docker")
    far = datetime.datetime(2150, 1, 1, tzinfo=datetime.UTC)
    row = SkillProgress(user=alice, skill=docker, status="done", completed_at=far)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "completed_at" in error.value.message_dict
    # And the database, for any code path that skips validation.
    row.completed_at = datetime.datetime(2300, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.postgres
def test_postgresql_refuses_the_timestamp_that_broke_an_account(alice):
    docker = Skill.objects.get(slug="docker")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO roadmap_skillprogress (user_id, skill_id, status, note,"
            " evidence_url, updated_at, started_at) VALUES (%s, %s, 'learning', '', '',"
            " now(), '9999-12-31T23:59:59-12:00')",
            [alice.pk, docker.pk],
        )


def test_deleting_the_account_that_fails_keeps_it_and_says_so(alice_client, alice, monkeypatch):
    def broken(user):
        raise DatabaseError("simulated")

    monkeypatch.setattr("accounts.views.forget_account", broken)
    response = alice_client.post("/accounts/delete/", {"confirm": "alice"})
    assert response.status_code == 500
    assert "could not be deleted" in response.content.decode()
    assert User.objects.filter(username="alice").exists()
    # Still signed in: nothing pretended to succeed.
    assert alice_client.get("/accounts/profile/").status_code == 200


# ------------------------------------------------- 4. admin deletes never take user data


@pytest.fixture
def admin_client_with_learner(admin_client, junior_to_senior):
    SkillProgress.objects.create(
        user=junior_to_senior, skill=Skill.objects.get(slug="docker"), status="done"
    )
    CertificationProgress.objects.create(
        user=junior_to_senior,
        certification=Certification.objects.get(slug="aws-ml-specialty"),
        status="earned",
    )
    return admin_client


@pytest.mark.parametrize(
    ("model", "slug", "held", "advice"),
    [
        (Skill, "docker", "people&#x27;s progress on it: 1", "Edit the skill instead"),
        (
            Certification,
            "aws-ml-specialty",
            "people&#x27;s certification plans: 1",
            "Set its retirement date instead",
        ),
        (
            Role,
            "senior-ai-engineer",
            "people&#x27;s current or target role: 1",
            "Edit the role instead",
        ),
    ],
)
def test_admin_cannot_delete_what_users_data_points_at_and_shows_no_names(
    admin_client_with_learner, model, slug, held, advice
):
    obj = model.objects.get(slug=slug)
    url = f"/admin/roadmap/{model._meta.model_name}/{obj.pk}/delete/"
    page = admin_client_with_learner.get(url).content.decode()
    assert f"{held} (names are not shown)" in page
    assert advice in page
    assert "alice" not in page
    assert "Done" not in page and "Earned" not in page
    admin_client_with_learner.post(url, {"post": "yes"})
    assert model.objects.filter(slug=slug).exists()
    assert SkillProgress.objects.filter(user__username="alice").count() == 1
    assert CertificationProgress.objects.filter(user__username="alice").count() == 1
    assert User.objects.get(username="alice").target_role.slug == "senior-ai-engineer"


def test_the_bulk_delete_action_is_refused_the_same_way(admin_client_with_learner):
    docker = Skill.objects.get(slug="docker")
    response = admin_client_with_learner.post(
        "/admin/roadmap/skill/",
        {"action": "delete_selected", "_selected_action": [docker.pk], "post": "yes"},
    )
    assert "alice" not in response.content.decode()
    assert Skill.objects.filter(slug="docker").exists()
    assert SkillProgress.objects.filter(skill=docker).exists()


def test_a_skill_nobody_tracks_can_still_be_deleted(admin_client):
    skill = Skill.objects.create(
        slug="throwaway", name="Throwaway", area=Skill.objects.first().area, summary="x"
    )
    admin_client.post(f"/admin/roadmap/skill/{skill.pk}/delete/", {"post": "yes"})
    assert not Skill.objects.filter(slug="throwaway").exists()


# --------------------------------------------------- 2. the sign-in throttle and proxies


def sign_in(client, username, password, address):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",  # the load balancer, for every client
        HTTP_X_FORWARDED_FOR=address,
    ).status_code


def test_behind_a_proxy_failures_from_one_client_do_not_lock_out_another(alice, settings):
    settings.BEHIND_PROXY = True
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.2"]
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.2")]
    attacker, victim = Client(), Client()
    statuses = [sign_in(attacker, "alice", "wrong", "203.0.113.9") for _ in range(6)]
    assert statuses[-1] == 429
    # Alice, from her own address behind the same load balancer, signs in.
    assert sign_in(victim, "alice", PASSWORD, "198.51.100.7") == 302
    # The attacker cannot pretend to be her: the proxy appends the address it saw last.
    forged = "198.51.100.7, 203.0.113.9"
    assert sign_in(attacker, "alice", PASSWORD, forged) == 429
    assert AccessAttempt.objects.get(username="alice").ip_address == "203.0.113.9"


def test_without_a_proxy_forwarded_for_is_ignored(alice, settings):
    settings.BEHIND_PROXY = False
    client = Client()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"):
        sign_in(client, "alice", "wrong", address)
    assert sign_in(client, "alice", PASSWORD, "198.51.100.7") == 429


def test_the_lockout_page_says_what_is_paused_and_what_is_not(client, alice):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    html = client.post("/accounts/login/", {"username": "alice", "password": "x"}).content
    html = html.decode()
    assert "Only this account from this address is paused" in html
    assert "Reset it by email" in html


# -------------------------------------------------------------- 6. request body limits


def test_a_body_over_the_limit_is_refused_before_it_is_read(alice_client):
    response = alice_client.generic(
        "POST",
        IMPORT,
        b"x" * 1_200_000,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_signed_out_posts_are_kept_small(client):
    response = client.post("/accounts/login/", {"username": "a" * 70_000, "password": "x"})
    assert response.status_code == 413
    assert client.post("/accounts/login/", {"username": "a", "password": "x"}).status_code == 200


def test_an_import_just_under_the_cap_is_accepted(alice_client, alice):
    entries = [{"skill": "docker", "status": "done", "note": "n" * 4000}]
    raw = export(entries).encode().ljust(importing.MAX_BYTES - 10, b" ")
    upload = SimpleUploadedFile("progress.json", raw, content_type="application/json")
    response = alice_client.post(IMPORT, {"file": upload, "action": "preview"})
    assert response.status_code == 200
    assert "Import 1 skill" in response.content.decode()


# ------------------------------------------------------ 7 and 8. sign-up and reset mail


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


def sign_up(i, next_url=""):
    """One sign-up from a fresh browser, all from the same address (as from one office)."""
    data = {
        "username": f"colleague{i}",
        "email": f"colleague{i}@example.com",
        "password1": "a-long-pass-phrase-9",
        "password2": "a-long-pass-phrase-9",
    }
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


def test_reset_mail_to_one_address_is_limited_without_saying_so(client, alice):
    codes = [
        client.post("/accounts/password_reset/", {"email": "alice@example.com"}).status_code
        for _ in range(5)
    ]
    assert codes == [302] * 5  # the same answer every time
    assert len(mail.outbox) == 3


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


# -------------------------------------------------------- 10. caching of private pages


def test_signed_in_pages_are_never_stored_by_caches(alice_client, junior_to_senior):
    for url in ("/path/", "/accounts/profile/", "/"):
        cache_control = alice_client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_public_pages_for_visitors_are_not_marked_private(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_a_shared_page_is_never_stored(alice_client, junior_to_senior):
    alice_client.post("/accounts/share/", {"action": "start"})
    token = User.objects.get(username="alice").share_token
    response = Client().get(f"/shared/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_certification_filter_varies_on_the_history_restore_header(client):
    vary = client.get("/certifications/")["Vary"]
    assert "HX-Request" in vary and "HX-History-Restore-Request" in vary


# ------------------------------------------------- 11 and 12. the user's own data


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


# ------------------------------------------------- 13. the pace estimate at its limits


def test_the_largest_estimates_at_one_hour_a_week_do_not_break_the_path(
    alice_client, junior_to_senior
):
    Skill.objects.update(effort_hours_low=2000, effort_hours_high=2000)
    junior_to_senior.hours_per_week = 1
    junior_to_senior.save()
    response = alice_client.get("/path/")
    assert response.status_code == 200
    assert "more than 50 years from now" in response.content.decode()


def test_an_estimate_over_the_maximum_is_refused_in_admin(admin_client):
    docker = Skill.objects.get(slug="docker")
    url = f"/admin/roadmap/skill/{docker.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "prerequisites"}
    data.update(effort_hours_low=30000, effort_hours_high=30000, area=docker.area_id)
    data.update({"resources-TOTAL_FORMS": 0, "resources-INITIAL_FORMS": 0})
    data.update({"claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 2000." in response.content.decode()


# --------------------------------------------------------------- 14. the CSRF page


def test_the_csrf_failure_page_has_no_inline_style():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "<style" not in html and "style=" not in html


@pytest.mark.postgres
def test_the_migration_clears_unreadable_values_stored_before_the_checks(alice):
    from django.apps import apps

    migration = importlib.import_module("roadmap.migrations.0007_user_data_protected")
    docker = Skill.objects.get(slug="docker")
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE roadmap_skillprogress DROP CONSTRAINT skillprogress_started_at_in_range"
        )
        cursor.execute(
            "INSERT INTO roadmap_skillprogress (user_id, skill_id, status, note,"
            " evidence_url, updated_at, started_at) VALUES (%s, %s, 'learning', 'kept', '',"
            " now(), '9999-12-31T23:59:59-12:00')",
            [alice.pk, docker.pk],
        )
    with pytest.raises(DataError):  # what broke every page of that account
        list(SkillProgress.objects.filter(user=alice))
    migration.clear_unreadable_values(apps, None)
    row = SkillProgress.objects.get(user=alice, skill=docker)
    assert (row.started_at, row.status, row.note) == (None, "learning", "kept")


@pytest.mark.parametrize("earned_on", ["0001-01-01", "1969-12-31"])
def test_an_earned_date_the_database_would_refuse_is_a_message_not_a_500(
    alice_client, junior_to_senior, earned_on
):
    url = "/path/certifications/google-professional-ml-engineer/"
    response = alice_client.post(url, {"status": "earned", "earned_on": earned_on})
    assert response.status_code == 400
    assert "between 1 January 1970 and today" in response.content.decode()
    assert not CertificationProgress.objects.filter(user=junior_to_senior).exists()
    plan = [
        {"certification": "aws-ml-engineer-associate", "status": "earned", "earned_on": earned_on}
    ]
    data = json.dumps({"progress": [], "certifications": plan})
    response = alice_client.post(IMPORT, {"data": data, "action": "apply"})
    assert response.status_code == 400
    assert "between 1 January 1970 and today" in response.content.decode()
    assert not CertificationProgress.objects.filter(user=junior_to_senior).exists()


def test_a_role_a_team_uses_or_suggests_cannot_be_deleted_and_no_member_is_named(
    admin_client_with_learner,
):
    from accounts.models import Membership, Team

    head = Role.objects.get(slug="head-of-ai")
    team = Team.objects.create(name="Platform AI", reference_role=head)
    Membership.objects.create(
        team=team, user=User.objects.get(username="alice"), suggested_role=head
    )
    url = f"/admin/roadmap/role/{head.pk}/delete/"
    page = admin_client_with_learner.get(url).content.decode()
    assert "teams measured against it: 1 (names are not shown)" in page
    assert "targets suggested to team members: 1 (names are not shown)" in page
    assert "alice" not in page
    admin_client_with_learner.post(url, {"post": "yes"})
    assert Role.objects.filter(slug="head-of-ai").exists()
    assert Membership.objects.filter(suggested_role=head).count() == 1
