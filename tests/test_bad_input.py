"""Property-based: random, huge, unicode, missing and repeated fields never give a 500, and
an invalid request saves nothing."""

import datetime
import importlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from roadmap.models import CertificationProgress, Skill, SkillProgress

pytestmark = pytest.mark.django_db

IMPORT = "/path/import/"

RUNS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.just("\x00"),
    st.just("a" * 20_000),
    st.sampled_from(
        ["done", "learning", "planned", "earned", "remove", "<script>", "' OR 1=1 --"]
    ),
    st.just("javascript:alert(1)"),
)


def form_data(fields):
    """Some of the fields, each missing, single or repeated, with nasty values."""
    return st.dictionaries(
        st.sampled_from(fields), st.lists(nasty_text, min_size=1, max_size=3), max_size=len(fields)
    )


def snapshot():
    return (
        list(SkillProgress.objects.order_by("pk").values_list("status", "note", "evidence_url")),
        list(CertificationProgress.objects.order_by("pk").values_list("status", "credential_url")),
        list(User.objects.order_by("pk").values_list("username", "current_role", "target_role")),
    )


def post(client, url, data, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data, headers=headers)


ENDPOINTS = [
    ("/path/skills/docker/status/", ["status"]),
    ("/path/status/", ["set"]),
    ("/path/skills/docker/note/", ["note", "evidence_url"]),
    (
        "/path/certifications/google-professional-ml-engineer/",
        ["status", "earned_on", "credential_url"],
    ),
    ("/path/certifications/aws-ml-specialty/", ["status", "earned_on", "credential_url"]),
    (
        "/path/certifications/aws-ml-engineer-associate/",
        ["status", "earned_on", "credential_url", "return_to"],
    ),
    ("/path/credit/", ["action"]),
    ("/accounts/profile/", ["current_role", "target_role"]),
    ("/accounts/delete/", ["confirm"]),
    ("/path/import/", ["data", "action"]),
    ("/accounts/password_change/", ["old_password", "new_password1", "new_password2"]),
]


@pytest.mark.parametrize(("url", "fields"), ENDPOINTS)
def test_signed_in_write_endpoints_never_fail_and_save_nothing_when_invalid(
    alice_client, junior_to_senior, url, fields
):
    @RUNS
    @given(data=form_data(fields), htmx=st.booleans())
    def check(data, htmx):
        before = snapshot()
        response = post(alice_client, url, data, htmx)
        assert response.status_code < 500
        if response.status_code == 400:
            assert snapshot() == before
        alice_client.force_login(junior_to_senior)  # stay signed in whatever the example did

    check()
    assert User.objects.filter(username="alice").exists()


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/accounts/signup/", ["username", "email", "password1", "password2"]),
        ("/accounts/login/", ["username", "password"]),
        ("/accounts/password_reset/", ["email"]),
        ("/admin/login/", ["username", "password"]),
    ],
)
def test_public_forms_never_fail_and_create_nothing_when_invalid(client, url, fields):
    @RUNS
    @given(data=form_data(fields))
    def check(data):
        users = User.objects.count()
        response = client.post(url, data)
        assert response.status_code < 500
        if response.status_code in (200, 400, 429):
            assert User.objects.count() == users

    check()


@RUNS
@given(data=form_data(["provider", "level", "status"]), htmx=st.booleans())
def test_the_certification_filter_never_fails(client, data, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/certifications/", data, headers=headers)
    assert response.status_code in (200, 400)


@RUNS
@given(slug=st.text(min_size=1, max_size=100))
def test_any_slug_is_a_page_or_a_404(client, slug):
    from urllib.parse import quote

    for prefix in ("/roles/", "/skills/", "/certifications/"):
        response = client.get(prefix + quote(slug, safe="") + "/")
        # A NUL byte in an address is refused as a whole (config/middleware.py).
        assert response.status_code in ((400,) if "\x00" in slug else (200, 404))


# ------------------------------------------------------------------ import edges

timestamps = st.one_of(
    st.datetimes(
        min_value=datetime.datetime(1, 1, 1),
        max_value=datetime.datetime(9999, 12, 31, 23, 59, 59),
        timezones=st.timezones(),
    ).map(lambda d: d.isoformat()),
    st.from_regex(
        r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:[0-9]{2}|Z)?\Z"
    ),
    st.integers(),
    st.none(),
    nasty_text,
)


@RUNS
@given(started=timestamps, completed=timestamps, status=st.sampled_from(["done", "learning"]))
def test_any_imported_time_is_refused_or_stored_readably(alice_client, started, completed, status):
    entry = {"skill": "docker", "status": status, "started_at": started, "completed_at": completed}
    data = json.dumps({"progress": [entry]})
    response = alice_client.post("/path/import/", {"data": data, "action": "apply"})
    assert response.status_code in (302, 400)
    # Whatever was stored reads back, and the pages that show it still work.
    assert alice_client.get("/path/export.json").status_code == 200
    assert alice_client.get("/accounts/data/").status_code == 200
    SkillProgress.objects.filter(skill__slug="docker").delete()


@RUNS
@given(
    count=st.sampled_from([0, 1, 1999, 2000, 2001, 50_000]),
    body=st.sampled_from(["{}", '{"skill": "docker"}', "[]", "1", '"x"']),
)
def test_imports_around_the_entry_cap_never_fail(alice_client, count, body):
    data = '{"progress": [' + ",".join([body] * count) + "]}"
    response = alice_client.post("/path/import/", {"data": data, "action": "preview"})
    assert response.status_code in (200, 400, 413)


def routes():
    """Every URL the project answers, its path parameters filled in: int ones with 1,
    slug, str and path ones with a value holding a NUL byte (%00)."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    out = []
    for route in walk(get_resolver().url_patterns):
        if "(?P" in route or route.startswith("^"):
            continue  # admin's catch-all regexes: covered by the routes they lead to
        parts = route.split("<")
        filled = parts[0]
        for part in parts[1:]:
            spec, rest = part.split(">", 1)
            filled += ("1" if spec.startswith("int:") else "a%00b") + rest
        out.append("/" + filled)
    return sorted(set(out))


NUL_QUERY = "&".join(
    f"{name}=x%00y"
    for name in [
        "q",
        "page",
        "next",
        "hide",
        "fact",
        "certification",
        "role",
        "skill",
        "status",
        "provider",
        "level",
        "kind",
        "area",
        "since",
        "subject",
        "a%00b",
    ]
)


def test_the_routes_cover_the_endpoints_with_text_parameters():
    found = routes()
    for expected in [
        "/api/v1/certifications/a%00b/",
        "/api/v1/roles/a%00b/",
        "/api/v1/skills/a%00b/",
        "/join/a%00b/",
        "/shared/a%00b/",
        "/accounts/unsubscribe/a%00b/",
        "/accounts/reset/a%00b/a%00b/",
        "/corrections/new/",
    ]:
        assert expected in found


@pytest.mark.parametrize("url", routes())
def test_a_nul_byte_in_a_path_or_query_parameter_is_a_400_or_404_never_a_500(
    client, admin_user, url
):
    """PostgreSQL refuses NUL in text: a NUL that reached a query was a 500 (run this on
    PostgreSQL too). Signed in as a superuser, so every view is reached."""
    client.force_login(admin_user)
    nul_in_path = "%00" in url
    query = url.replace("a%00b", "a") if nul_in_path else url
    for method in (client.get, client.post):
        if nul_in_path:
            assert method(url).status_code in (400, 404), url
        assert method(f"{query}?{NUL_QUERY}").status_code in (400, 404), query


def test_a_nul_byte_is_refused_with_a_message_in_the_pages_and_in_json_in_the_api(client):
    page = client.get("/certifications/?provider=AWS%00")
    assert page.status_code == 400
    assert "NUL character" in page.content.decode()
    api = client.get("/api/v1/certifications/aws%00/")
    assert api.status_code == 400
    assert "NUL character" in api.json()["detail"]


def test_a_session_cookie_holding_a_nul_byte_is_treated_as_absent(client, alice):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get("/path/")
    assert response.status_code == 302  # signed out: asked to sign in, not a 500
    assert "/accounts/login/" in response["Location"]
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/certifications/?provider=AWS%00").status_code == 400


def test_a_nul_byte_in_a_header_of_a_failed_sign_in_is_recorded_without_it(client):
    from axes.models import AccessAttempt

    response = client.post(
        "/accounts/login/",
        {"username": "nobody", "password": "wrong-pass-1"},
        headers={"user-agent": "evil\x00agent", "accept": "text/html\x00"},
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().user_agent == "evil\ufffdagent"


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
