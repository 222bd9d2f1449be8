"""List pages make the same number of queries however many rows they show.

A cold page reads the catalogue version and then its data; a warm one reads only the
version (the certifications page also its providers, to validate the filters).
"""

import datetime
import re

import pytest
from django.urls import reverse

from roadmap.models import (
    Certification,
    CertificationSource,
    Claim,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
    Source,
)

pytestmark = pytest.mark.django_db


def make_certifications(n):
    Certification.objects.all().delete()
    source = Source.objects.get(slug="guide")
    certs = Certification.objects.bulk_create(
        Certification(
            slug=f"cert-{i}",
            name=f"Cert {i}",
            provider=f"Provider {i % 3}",
            level="associate",
            retires_on=datetime.date(2026, 1, 1) if i % 2 else None,
        )
        for i in range(n)
    )
    CertificationSource.objects.bulk_create(
        CertificationSource(certification=c, source=source, supports="everything") for c in certs
    )
    Claim.objects.bulk_create(
        Claim(
            slug=f"cert-{c.pk}-cost",
            certification=c,
            attribute="cost",
            amount=100 + n,
            unit="USD",
            source=source,
        )
        for n, c in enumerate(certs)
    )
    for older, newer in zip(certs, certs[1:], strict=False):
        older.successors.add(newer)


def make_roles(n):
    area = SkillArea.objects.first()
    source = Source.objects.get(slug="guide")
    for i in range(n):
        role = Role.objects.create(
            slug=f"extra-{i}", title=f"Extra {i}", kind="adjacent", summary="Extra role."
        )
        skill = Skill.objects.create(slug=f"extra-skill-{i}", name=f"S{i}", area=area, summary=".")
        RoleSkill.objects.create(role=role, skill=skill)
        Claim.objects.create(
            slug=f"pay-{i}",
            role=role,
            attribute="salary",
            region="UK",
            unit="GBP",
            figure_kind="median",
            amount=50000,
            data_year=2026,
            source=source,
        )


def make_sources(n):
    Source.objects.bulk_create(
        Source(
            slug=f"src-{i}", title=f"S{i}", publisher="P", checked_on="2026-11-28", kind="guide"
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [5, 50])
def test_the_certifications_page_makes_six_queries_however_many_certifications(
    client, django_assert_num_queries, n
):
    make_certifications(n)
    # version, providers, certifications, their successors, claims (+ source), their sources
    # (+ source).
    with django_assert_num_queries(6):
        response = client.get(reverse("roadmap:certifications"))
    assert f"{n} certifications" in response.content.decode()
    with django_assert_num_queries(1):  # the version: the filters' choices are kept with it
        assert f"{n} certifications" in client.get("/certifications/").content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_the_htmx_filtered_certification_list_makes_six_queries(
    client, django_assert_num_queries, n
):
    make_certifications(n)
    with django_assert_num_queries(6):
        response = client.get(
            reverse("roadmap:certifications"), {"level": "associate"}, headers={"HX-Request": "1"}
        )
    assert f"{n} certifications" in response.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_the_home_page_makes_three_queries_however_many_roles(
    client, django_assert_num_queries, n
):
    make_roles(n)
    # version, roles, salary bands with sources, role skills with skills.
    with django_assert_num_queries(4):
        response = client.get(reverse("roadmap:home"))
    assert f"Extra {n - 1}" in response.content.decode()
    with django_assert_num_queries(1):
        assert f"Extra {n - 1}" in client.get("/").content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_the_sources_page_makes_five_queries_however_many_sources(
    client, django_assert_num_queries, n
):
    make_sources(n)
    with django_assert_num_queries(6):
        response = client.get(reverse("roadmap:sources"))
    assert f"S{n - 1}" in response.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_the_skill_list_makes_two_queries_however_many_skills(
    client, django_assert_num_queries, n
):
    make_roles(n)
    with django_assert_num_queries(3):
        response = client.get(reverse("roadmap:skills"))
    assert f"S{n - 1}" in response.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_a_role_page_makes_the_same_queries_however_many_skills_it_needs(
    client, django_assert_num_queries, n
):
    role = Role.objects.get(slug="ai-engineer")
    area = SkillArea.objects.first()
    for i in range(n):
        skill = Skill.objects.create(slug=f"more-{i}", name=f"More {i}", area=area, summary=".")
        RoleSkill.objects.create(role=role, skill=skill)
    # 12: the ten before, then every role and every pay figure, for the picture of the
    # ladder's pay (issue 19), and the page's corrections from readers (read per request,
    # issue 21); the page is cached, so a warm visit makes two: the catalogue version and
    # the corrections.
    with django_assert_num_queries(13):
        response = client.get(reverse("roadmap:role", args=["ai-engineer"]))
    assert f"More {n - 1}" in response.content.decode()
    with django_assert_num_queries(2):
        client.get(reverse("roadmap:role", args=["ai-engineer"]))


@pytest.mark.parametrize(
    ("slug", "queries"),
    # A skill no certification covers skips the query for certifications' successors
    # (the EU AI Act is covered since the IAPP's AIGP joined the catalogue). One of each is
    # the page's corrections from readers, read on every visit.
    [("rag", 10), ("python", 9), ("data-governance", 9), ("eu-ai-act", 10)],
)
def test_a_skill_page_makes_a_fixed_number_of_queries(
    client, django_assert_num_queries, slug, queries
):
    with django_assert_num_queries(queries):
        client.get(reverse("roadmap:skill", args=[slug]))
    with django_assert_num_queries(2):  # cached: the catalogue version and the corrections
        client.get(reverse("roadmap:skill", args=[slug]))


def test_a_certification_page_from_the_cache_reads_its_version_and_its_corrections(
    client, django_assert_num_queries
):
    url = reverse("roadmap:certification", args=["aws-ml-engineer-associate"])
    client.get(url)
    with django_assert_num_queries(2):
        client.get(url)


@pytest.mark.parametrize("size", [5, 200])
def test_the_team_page_with_its_plan_takes_twelve_queries_then_eight_whatever_the_size(
    client, size
):
    """Session, user, membership, members, catalogue version, their progress, when each was
    last active, their certification plans, the exam costs, the team's last events, which of
    them are news to this manager, the open invite links. Opened again with nothing changed,
    the plan and the matrix come from the cache: no progress, activity, plans or costs."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Membership, Team, User
    from roadmap.models import CertificationProgress, SkillProgress

    role = Role.objects.get(slug="ai-engineer")
    team = Team.objects.create(name="Platform AI", reference_role=role)
    owner = User.objects.create_user("lead", "lead@example.com", "a-long-password-1")
    Membership.objects.create(team=team, user=owner, role="owner")
    users = User.objects.bulk_create(User(username=f"p{n}", target_role=role) for n in range(size))
    Membership.objects.bulk_create(Membership(team=team, user=user) for user in users)
    skills = list(Skill.objects.all())
    certifications = list(Certification.objects.all())
    now = timezone.now()
    SkillProgress.objects.bulk_create(
        SkillProgress(user=user, skill=skill, status="done", completed_at=now)
        for n, user in enumerate(users)
        for skill in skills[: n % len(skills)]
    )
    CertificationProgress.objects.bulk_create(
        CertificationProgress(user=user, certification=certifications[n % 4], status="planned")
        for n, user in enumerate(users)
    )
    SkillProgress.objects.filter(user__in=users[1:], skill=skills[0]).update(checked_at=now)
    client.force_login(owner)
    client.get(team.get_absolute_url())  # warm the catalogue graph (kept per process)
    cache.clear()  # and nothing of the team's page in the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(team.get_absolute_url())
    html = response.content.decode()
    assert "The plan" in html and "Bus factor" in html
    assert len(queries) == 12, [q["sql"][:80] for q in queries.captured_queries]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(team.get_absolute_url())
    assert len(queries) == 8, [q["sql"][:80] for q in queries.captured_queries]

    def cached(html):  # the plan, the matrix and the members' table
        return html[html.index('id="plan-heading"') : html.index('id="invites-heading"')]

    assert cached(again.content.decode()) == cached(html)
    # The first page of members has a column each in the matrix (plus the skill and "done
    # by" columns); the others are a link away (tests/test_teams.py pages through them).
    from accounts.views.teams import MEMBERS_PER_PAGE

    matrix = html[html.index('id="matrix"') :]
    shown = min(size + 1, MEMBERS_PER_PAGE)
    assert matrix[: matrix.index("</thead>")].count('<th scope="col">') == shown + 2


@pytest.mark.parametrize(
    "slugs",
    [["cka", "ckad"], ["cka", "ckad", "iapp-aigp", "aws-ai-practitioner", "aws-ml-specialty"]],
)
def test_the_comparison_makes_the_same_queries_for_two_certifications_as_for_five(
    client, alice, junior_to_senior, django_assert_num_queries, slugs
):
    from django.test import Client

    # Cold: the catalogue version, the catalogue graph (roles, their skills, skills, their
    # resources, prerequisites, certifications with successors, skills and roles, pay
    # figures with exam fees), the compared certifications' claims with their sources.
    with django_assert_num_queries(12):
        response = client.get("/certifications/compare/", {"c": slugs})
    assert f"Comparing {len(slugs)} certifications" in response.content.decode()
    # Warm (the graph is kept per process): the version and the claims.
    with django_assert_num_queries(2):
        client.get("/certifications/compare/", {"c": slugs})
    # Signed in: the session, the user and their progress, for their remaining skills.
    signed_in = Client()
    signed_in.force_login(alice)
    with django_assert_num_queries(5):
        response = signed_in.get("/certifications/compare/", {"c": slugs})
    assert re.search(r"\d+ of your \d+", response.content.decode())
