"""Who may reach what: every URL against an anonymous visitor, two users and staff."""

import pytest
from django.urls import reverse

from roadmap.models import Skill, SkillProgress

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"

# url, method, expected status for: anonymous, user A, user B, staff
MATRIX = [
    ("/", "get", 200, 200, 200, 200),
    ("/roles/ai-engineer/", "get", 200, 200, 200, 200),
    ("/skills/", "get", 200, 200, 200, 200),
    ("/skills/rag/", "get", 200, 200, 200, 200),
    ("/certifications/", "get", 200, 200, 200, 200),
    ("/certifications/aws-ml-specialty/", "get", 200, 200, 200, 200),
    ("/sources/", "get", 200, 200, 200, 200),
    ("/healthz/", "get", 200, 200, 200, 200),
    ("/changes/", "get", 200, 200, 200, 200),
    ("/changes/?certification=aws-ml-specialty", "get", 200, 200, 200, 200),
    ("/changes/?certification=not-a-real-one", "get", 400, 400, 400, 400),
    ("/changes/999999/", "get", 404, 404, 404, 404),
    ("/changes/feed/", "get", 200, 200, 200, 200),
    ("/changes/feed/?skill=not-a-real-one", "get", 404, 404, 404, 404),
    ("/changes/", "post", 405, 405, 405, 405),
    ("/open-data/", "get", 200, 200, 200, 200),
    ("/sitemap.xml", "get", 200, 200, 200, 200),
    ("/api/v1/", "get", 200, 200, 200, 200),
    ("/api/v1/certifications/", "get", 200, 200, 200, 200),
    ("/api/v1/certifications/aws-ml-specialty/", "get", 200, 200, 200, 200),
    ("/api/v1/certifications/not-a-real-one/", "get", 404, 404, 404, 404),
    ("/api/v1/roles/", "get", 200, 200, 200, 200),
    ("/api/v1/roles/ai-engineer/", "get", 200, 200, 200, 200),
    ("/api/v1/skills/", "get", 200, 200, 200, 200),
    ("/api/v1/skills/rag/", "get", 200, 200, 200, 200),
    ("/api/v1/sources/", "get", 200, 200, 200, 200),
    ("/api/v1/openapi.json", "get", 200, 200, 200, 200),
    ("/api/v1/certifications/", "post", 405, 405, 405, 405),
    ("/path/changes/", "get", 302, 200, 200, 200),
    ("/corrections/", "get", 302, 200, 200, 200),
    # A reader without an account may send a correction too (redirected to the page after).
    ("/corrections/new/?skill=rag", "get", 200, 200, 200, 200),
    ("/corrections/new/?skill=not-a-real-one", "get", 404, 404, 404, 404),
    ("/corrections/new/?skill=rag", "post", 302, 302, 302, 302),
    ("/search/?q=rag", "get", 200, 200, 200, 200),
    ("/search/", "post", 405, 405, 405, 405),
    ("/accounts/notifications/", "get", 302, 405, 405, 405),
    ("/accounts/notifications/", "post", 302, 302, 302, 302),
    ("/accounts/email/", "post", 302, 302, 302, 302),
    ("/accounts/email/", "get", 302, 405, 405, 405),
    ("/accounts/confirm-email/not-a-token/", "get", 400, 400, 400, 400),
    ("/accounts/unsubscribe/not-a-real-token/", "get", 404, 404, 404, 404),
    ("/accounts/unsubscribe/not-a-real-token/", "post", 404, 404, 404, 404),
    ("/admin/review/", "get", 302, 302, 302, 200),
    ("/admin/review/", "post", 302, 302, 302, 302),
    ("/admin/roadmap/cataloguechange/", "get", 302, 302, 302, 200),
    ("/admin/roadmap/correction/", "get", 302, 302, 302, 200),
    ("/admin/roadmap/reviewaction/", "get", 302, 302, 302, 200),
    ("/accounts/signup/", "get", 200, 302, 302, 302),
    ("/accounts/login/", "get", 200, 200, 200, 200),
    ("/accounts/password_reset/", "get", 200, 200, 200, 200),
    ("/path/", "get", 302, 200, 200, 200),
    ("/path/export.csv", "get", 302, 200, 200, 200),
    ("/path/import/", "get", 302, 200, 200, 200),
    ("/path/history/", "get", 302, 200, 200, 200),
    ("/accounts/share/", "get", 302, 405, 405, 405),
    ("/shared/not-a-real-token/", "get", 404, 404, 404, 404),
    ("/path/export.json", "get", 302, 200, 200, 200),
    ("/accounts/profile/", "get", 302, 200, 200, 200),
    ("/accounts/data/", "get", 302, 200, 200, 200),
    ("/accounts/delete/", "get", 302, 200, 200, 200),
    ("/accounts/password_change/", "get", 302, 200, 200, 200),
    ("/path/skills/docker/status/", "get", 302, 405, 405, 405),
    ("/path/skills/docker/status/", "post", 302, 302, 302, 302),
    ("/path/skills/docker/note/", "get", 302, 200, 200, 200),
    ("/path/skills/docker/note/", "post", 302, 302, 302, 302),
    ("/path/status/", "get", 302, 405, 405, 405),
    ("/path/status/", "post", 302, 302, 302, 302),
    ("/path/certifications/google-professional-ml-engineer/", "post", 302, 302, 302, 302),
    ("/path/credit/", "get", 302, 405, 405, 405),
    ("/path/credit/", "post", 302, 302, 302, 302),
    ("/teams/", "get", 302, 200, 200, 200),
    ("/teams/999999/", "get", 302, 404, 404, 404),
    ("/teams/999999/team.csv", "get", 302, 404, 404, 404),
    ("/teams/999999/welcome/", "get", 302, 404, 404, 404),
    ("/teams/999999/invites/email/", "post", 302, 404, 404, 404),
    ("/teams/999999/invites/email/", "get", 302, 405, 405, 405),
    ("/teams/999999/welcome/", "post", 302, 404, 404, 404),
    ("/join/not-a-real-token/", "get", 404, 404, 404, 404),
    ("/join/not-a-real-token/", "post", 404, 404, 404, 404),
    ("/accounts/logout/", "get", 405, 405, 405, 405),
    ("/admin/", "get", 302, 302, 302, 200),
    ("/admin/roadmap/certification/", "get", 302, 302, 302, 200),
    ("/admin/accounts/user/", "get", 302, 302, 302, 200),
    ("/admin/roadmap/skillprogress/", "get", 302, 302, 302, 404),
]

POST_DATA = {
    "/path/skills/docker/status/": {"status": "done"},
    "/path/skills/docker/note/": {"note": "mine"},
    "/path/status/": {"set": "docker:done"},
    "/path/credit/": {"action": "undo"},
    "/path/certifications/google-professional-ml-engineer/": {"status": "planned"},
    "/corrections/new/?skill=rag": {
        "fact": "Summary",
        "what_is_wrong": "The summary misses retrieval evaluation.",
        "source_url": "https://example.org/rag",
    },
    "/accounts/notifications/": {"notify": "on"},
    "/accounts/email/": {"email": "someone@example.org"},
    "/admin/review/": {"action": "none"},
}

# Where an anonymous POST that is not sent to sign in goes instead.
ANONYMOUS_REDIRECTS = {"/corrections/new/?skill=rag": "/skills/rag/#corrections"}


@pytest.fixture
def clients(client, django_user_model, admin_user):
    from django.test import Client

    a = django_user_model.objects.create_user("user-a", "a@example.com", "pw-a-long-1234")
    b = django_user_model.objects.create_user("user-b", "b@example.com", "pw-b-long-1234")
    signed_in = []
    for user in (a, b, admin_user):
        c = Client()
        c.force_login(user)
        signed_in.append(c)
    return [client, *signed_in]


@pytest.mark.parametrize(("url", "method", "anon", "a", "b", "staff"), MATRIX)
def test_the_access_matrix(clients, url, method, anon, a, b, staff):
    for who, client, expected in zip(
        ("anonymous", "A", "B", "staff"), clients, (anon, a, b, staff), strict=True
    ):
        data = POST_DATA.get(url, {}) if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == expected, f"{who} {method.upper()} {url}"
        if who == "anonymous" and expected == 302 and not url.startswith("/admin/"):
            assert response["Location"].startswith(ANONYMOUS_REDIRECTS.get(url, LOGIN))


def test_no_url_shows_or_changes_another_users_progress(clients):
    anon, a, b, staff = clients
    docker = Skill.objects.get(slug="docker")
    a.post("/path/skills/docker/status/", {"status": "done"})
    a.post("/path/skills/docker/note/", {"note": "A's private note"})
    # B acts on the same skill: only B's own row changes.
    b.post("/path/skills/docker/status/", {"status": "skipped"})
    rows = dict(SkillProgress.objects.filter(skill=docker).values_list("user__username", "status"))
    assert rows == {"user-a": "done", "user-b": "skipped"}
    for url in ("/path/", "/accounts/data/", "/accounts/profile/"):
        assert "A's private note" not in b.get(url).content.decode()
    assert "A's private note" in a.get("/accounts/data/").content.decode()
    # Progress is not in the admin at all: staff cannot browse it either.
    assert staff.get("/admin/").content.decode().count("progress") == 0


def test_the_admin_sign_in_page_is_reachable_but_not_the_admin(client):
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/").status_code == 200
