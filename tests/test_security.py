import datetime
import ipaddress
import os
import re
import subprocess
import sys
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from accounts.throttling import UNKNOWN_NAME, allow, axes_username

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuv",
    "ALLOWED_HOSTS": "roadmap.example",
}


def run_manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **PRODUCTION_ENV,
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_prints_no_warning_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_production_cookies_are_secure_httponly_samesite_and_host_prefixed():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT)",
    )
    assert result.stdout.split()[-8:] == [
        "__Host-sessionid",
        "True",
        "True",
        "Lax",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
    ]


@pytest.mark.parametrize(
    "url", ["/", "/certifications/", "/accounts/login/", "/static/css/site.css"]
)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_content_security_policy_allows_nothing_inline_or_evaluated(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in csp


# A JSON-LD block is data, never run (CSP governs only scripts a browser executes), so it
# is the one inline <script> allowed.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>|<style\b|\sstyle=",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/roles/ai-engineer/",
        "/skills/",
        "/skills/rag/",
        "/certifications/",
        "/certifications/aws-ml-specialty/",
        "/sources/",
        "/accounts/login/",
        "/accounts/signup/",
        "/path/",
        "/accounts/profile/",
        "/accounts/delete/",
        "/accounts/password_change/",
    ],
)
def test_no_page_has_inline_script_or_style(alice_client, junior_to_senior, url):
    html = alice_client.get(url).content.decode()
    assert not INLINE.findall(html), INLINE.findall(html)


def test_htmx_is_configured_for_the_policy(client):
    html = client.get("/").content.decode()
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html
    assert '<script src="/static/django_htmx/htmx.min.js"' in html or "htmx" in html


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_503_when_the_database_does_not(client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_an_unexpected_error_is_logged_with_its_request_and_shows_no_traceback(
    alice_client, junior_to_senior, monkeypatch, caplog
):
    def explode(*args, **kwargs):
        raise RuntimeError("the path computation broke")

    monkeypatch.setattr("roadmap.views.path.build_path", explode)
    alice_client.raise_request_exception = False
    response = alice_client.get("/path/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html
    assert "the path computation broke" not in html
    record = next(r for r in caplog.records if r.name == "django.request")
    assert "/path/" in record.getMessage()
    assert record.exc_info[0] is RuntimeError


# --------------------------------------------------------------------------- throttling


def failed_logins(client, username, count, url="/accounts/login/"):
    return [
        client.post(url, {"username": username, "password": "wrong-password"}).status_code
        for _ in range(count)
    ]


def test_sign_in_cools_off_after_repeated_failures_with_a_clear_429(client, alice):
    assert failed_logins(client, "alice", 4) == [200, 200, 200, 200]
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "15 minutes" in html
    # Even the right password waits for the cool-off.
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_a_cool_off_for_one_user_leaves_another_alone(client, alice, bob):
    failed_logins(client, "alice", 5)
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302


def test_admin_sign_in_is_throttled_too(client, admin_user):
    failed_logins(client, "admin", 5, url="/admin/login/")
    response = client.post("/admin/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 429


def test_a_successful_sign_in_resets_the_failure_count(client, alice):
    failed_logins(client, "alice", 4)
    assert (
        client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code
        == 302
    )
    client.post("/accounts/logout/")
    assert failed_logins(client, "alice", 4) == [200, 200, 200, 200]


NAMES_FOR_ALICE = ["alice", "alice@example.com", "Alice@Example.com", "ALICE@EXAMPLE.COM"]


def end_the_cool_off():
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_failures_count_per_account_however_it_is_named(client, alice, url):
    alice.is_staff = True
    alice.save()
    # Five wrong passwords, spread over the username and three spellings of the email:
    # the fifth starts the cool-off.
    codes = [
        client.post(url, {"username": name, "password": "wrong"}).status_code
        for name in [*NAMES_FOR_ALICE, "alice@example.com"]
    ]
    assert codes == [200, 200, 200, 200, 429]
    # Locked for this client, whichever name comes next, even with the right password.
    for name in NAMES_FOR_ALICE:
        response = client.post(url, {"username": name, "password": PASSWORD})
        assert response.status_code == 429, name
        assert not response.wsgi_request.user.is_authenticated
    # Another client still signs in.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        other.post(url, {"username": "alice@example.com", "password": PASSWORD}).status_code == 302
    )
    # Once the cool-off ends, the right password is accepted again.
    end_the_cool_off()
    assert (
        client.post(url, {"username": "ALICE@EXAMPLE.COM", "password": PASSWORD}).status_code
        == 302
    )


def test_failures_are_recorded_under_the_account_username(client, alice):
    client.post("/accounts/login/", {"username": "Alice@Example.COM", "password": "wrong"})
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice"]


def test_the_sign_in_throttle_names_the_account_from_the_credentials_else_the_form(rf, alice):
    # django-axes passes the credentials when it has them (with or without a request),
    # else only the request: either way the failure counts against alice's account.
    assert axes_username(None, {"username": "ALICE@example.com"}) == "alice"
    form = rf.post("/accounts/login/", {"username": "Alice@Example.com", "password": "x"})
    assert axes_username(form) == "alice"
    assert axes_username(form, {"password": "x"}) == "alice"
    typed = rf.post("/accounts/login/", {"username": "someone-else", "password": "x"})
    assert axes_username(typed, {"username": "alice"}) == "alice"
    assert axes_username(None) == UNKNOWN_NAME


def test_a_sign_in_without_a_name_never_counts_against_an_account_called_none(
    rf, django_user_model
):
    django_user_model.objects.create_user("None", "", PASSWORD)
    assert axes_username(rf.post("/accounts/login/", {"password": "x"})) == UNKNOWN_NAME


def test_the_sign_in_throttle_looks_the_account_up_once_however_often_axes_asks(
    rf, alice, django_assert_num_queries
):
    request = rf.post("/accounts/login/", {"username": "alice@example.com", "password": "x"})
    with django_assert_num_queries(1):
        names = {axes_username(request) for _ in range(4)}
    assert names == {"alice"}


class Clock:
    """The time the cache sees, moved on by hand instead of waiting."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def move(self, seconds):
        self.now += seconds


def test_a_throttle_refuses_for_the_rest_of_the_hour_then_counts_afresh(monkeypatch):
    clock = Clock(monkeypatch)
    assert [allow("test", "203.0.113.9", 2) for _ in range(3)] == [True, True, False]
    clock.move(3599)
    assert allow("test", "203.0.113.9", 2) is False
    clock.move(1)
    assert [allow("test", "203.0.113.9", 2) for _ in range(3)] == [True, True, False]


@pytest.mark.parametrize("limit", [1, 2])
def test_a_count_that_expires_as_it_is_taken_still_counts_the_event_for_an_hour(
    monkeypatch, limit
):
    clock = Clock(monkeypatch)
    # The hour of an earlier count ends between the cache's add and its increment.
    backend = type(caches["default"])
    add = backend.add

    def add_then_expire(self, key, *args, **kwargs):
        added = add(self, key, *args, **kwargs)
        self.delete(key)
        return added

    monkeypatch.setattr(backend, "add", add_then_expire)
    assert allow("test", "203.0.113.9", limit) is True
    monkeypatch.setattr(backend, "add", add)
    assert [allow("test", "203.0.113.9", limit) for _ in range(limit)] == [True] * (limit - 1) + [
        False
    ]
    clock.move(3599)
    assert allow("test", "203.0.113.9", limit) is False
    clock.move(1)
    assert allow("test", "203.0.113.9", limit) is True


def test_unknown_names_share_one_bucket_per_client(client, alice):
    for i in range(5):
        client.post("/accounts/login/", {"username": f"nobody{i}@example.com", "password": "x"})
    assert AccessAttempt.objects.count() == 1
    # This client tried five unknown names: a sixth is refused, the known account is not.
    response = client.post("/accounts/login/", {"username": "nobody9", "password": "x"})
    assert response.status_code == 429
    assert (
        client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code
        == 302
    )
    # Another client has its own bucket.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        other.post("/accounts/login/", {"username": "nobody9", "password": "x"}).status_code == 200
    )


def test_a_locked_out_client_adds_no_rows_however_it_varies(client):
    for i in range(30):
        client.post(
            "/accounts/login/",
            {"username": f"nobody{i}", "password": "x"},
            HTTP_USER_AGENT=f"agent {i}",
        )
    assert AccessAttempt.objects.count() == 5


# --------------------------------------------------------------------------- sessions


def test_signing_in_gives_a_new_session_id(client, alice):
    client.get("/accounts/login/")
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_signing_out_ends_the_session_on_the_server(alice_client):
    key = alice_client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    alice_client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_a_password_change_ends_the_users_other_sessions(alice):
    here, elsewhere = Client(), Client()
    for c in (here, elsewhere):
        assert (
            c.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code
            == 302
        )
    here.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase-5",
            "new_password2": "a-brand-new-passphrase-5",
        },
    )
    assert here.get("/path/").status_code == 200
    response = elsewhere.get("/path/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --------------------------------------------------------------------------- CSRF

STATE_CHANGING = [
    ("/accounts/signup/", {"username": "x", "email": "x@example.com"}),
    ("/accounts/login/", {"username": "alice", "password": PASSWORD}),
    ("/accounts/logout/", {}),
    ("/accounts/profile/", {}),
    ("/accounts/delete/", {"confirm": "alice"}),
    ("/accounts/share/", {"action": "start"}),
    ("/path/import/", {"data": "{}", "action": "apply"}),
    ("/accounts/password_change/", {}),
    ("/accounts/password_reset/", {"email": "alice@example.com"}),
    ("/path/skills/docker/status/", {"status": "done"}),
    ("/path/skills/docker/note/", {"note": "x"}),
    ("/path/certifications/google-professional-ml-engineer/", {"status": "planned"}),
    ("/admin/roadmap/certification/", {"action": "mark_retired_today"}),
]


@pytest.mark.parametrize(("url", "data"), STATE_CHANGING)
@pytest.mark.parametrize("htmx", [False, True])
def test_every_state_changing_request_needs_the_csrf_token(admin_user, alice, url, data, htmx):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user if url.startswith("/admin/") else alice)
    headers = {"HX-Request": "true"} if htmx else {}
    response = strict.post(url, data, headers=headers)
    assert response.status_code == 403
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username="alice").exists()


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


def test_signed_out_posts_are_kept_small(client):
    response = client.post("/accounts/login/", {"username": "a" * 70_000, "password": "x"})
    assert response.status_code == 413
    assert client.post("/accounts/login/", {"username": "a", "password": "x"}).status_code == 200


def test_signed_in_pages_are_never_stored_by_caches(alice_client, junior_to_senior):
    for url in ("/path/", "/accounts/profile/", "/"):
        cache_control = alice_client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_public_pages_for_visitors_are_not_marked_private(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_the_csrf_failure_page_has_no_inline_style():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "<style" not in html and "style=" not in html
