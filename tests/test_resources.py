"""How long a skill takes and where to learn it (issue 19, items 3 and 4)."""

import re

import pytest
from django.urls import reverse

from roadmap.loading import MIN_RESOURCES, learning_problems
from roadmap.models import Resource, Role, Skill
from roadmap.selectors import build_path

from .helpers import make_learner

pytestmark = pytest.mark.django_db


def test_every_skill_has_an_estimate_and_a_basis():
    skills = Skill.objects.prefetch_related("resources")
    assert skills.count() == 56
    for skill in skills:
        assert skill.has_estimate, skill.slug
        assert 0 < skill.effort_hours_low <= skill.effort_hours_high, skill.slug
        basis = skill.estimate_basis
        # Either a course's stated length (linked, with its words) or our own estimate.
        if basis is not None:
            assert basis.length and basis.url, skill.slug


def test_machine_learning_fundamentals_rests_on_the_crash_courses_stated_length():
    skill = Skill.objects.get(slug="ml-fundamentals")
    basis = skill.estimate_basis
    assert basis.title == "Google Machine Learning Crash Course"
    assert basis.length == "about 15 hours"
    assert (skill.effort_hours_low, skill.effort_hours_high) == (15, 15)


def test_the_catalogue_check_lists_the_skills_still_short_of_resources():
    # Every skill has an estimate and, today, at least two resources; a skill that falls short
    # again is named by the check, so it cannot be forgotten.
    problems = learning_problems()
    assert not [p for p in problems if "hours estimate" in p]
    short = {
        slug
        for slug in Skill.objects.values_list("slug", flat=True)
        if Resource.objects.filter(skill__slug=slug).count() < MIN_RESOURCES
    }
    assert {re.search(r"'(.+?)'", p).group(1) for p in problems} == short
    assert short == set()


def test_every_resource_says_its_kind_and_cost_and_learning_ones_exist():
    kinds = dict(Resource.Kind.choices)
    for resource in Resource.objects.all():
        assert resource.kind in kinds
        assert resource.url.startswith(("http://", "https://"))
    learnable = Skill.objects.filter(resources__kind__in=Resource.LEARNING_KINDS).distinct()
    # 53 of 56 today; C++, TensorFlow and XGBoost still have only reference documentation.
    assert learnable.count() >= 53


def test_the_pace_answers_for_every_pair_of_roles_with_no_estimate_of_the_users():
    roles = list(Role.objects.values_list("slug", flat=True))
    pairs = [(c, t) for c in [None, *roles] for t in roles if c != t]
    assert len(pairs) == 9 * 9
    for n, (current, target) in enumerate(pairs):
        user = make_learner(f"pace{n}", current, target)
        user.hours_per_week = 8
        user.save()
        groups = build_path(user)["groups"]
        for group in groups:
            if group.remaining:
                assert group.pace is not None, (current, target, group.role.slug)
                assert group.pace.unestimated == 0
                assert group.pace.own == 0
                assert group.pace.weeks_low >= 1


def test_the_learners_own_estimate_still_wins(alice_client, junior_to_senior):
    junior_to_senior.hours_per_week = 10
    junior_to_senior.save()
    before = [
        g.pace for g in build_path(junior_to_senior)["groups"] if g.role.slug == "ai-engineer"
    ]
    alice_client.post(
        reverse("roadmap:skill_note", args=["docker"]),
        {"note": "", "evidence_url": "", "hours_estimate": "500"},
    )
    after = [
        g.pace for g in build_path(junior_to_senior)["groups"] if g.role.slug == "ai-engineer"
    ]
    docker = Skill.objects.get(slug="docker")
    assert after[0].own == 1
    assert after[0].hours_low == before[0].hours_low - docker.effort_hours_low + 500


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_skill_page_shows_a_sourced_length_as_a_citation(client):
    html = client.get(reverse("roadmap:skill", args=["ml-fundamentals"])).content.decode()
    how_long = section(html, "how-long-heading")
    assert 'class="effort effort-sourced"' in how_long
    assert "<strong>15 hours</strong>" in how_long
    assert (
        '<cite class="source"><a href="https://developers.google.com/machine-learning/' in how_long
    )
    assert "(“about 15 hours”)" in how_long
    assert 'class="estimate"' not in how_long


def test_our_estimate_is_never_styled_as_a_sourced_fact(client):
    html = client.get(reverse("roadmap:skill", args=["docker"])).content.decode()
    how_long = section(html, "how-long-heading")
    assert 'class="effort effort-ours"' in how_long
    assert '<span class="estimate">our estimate, not a sourced figure.</span>' in how_long
    assert "<cite" not in how_long and "tier" not in how_long and "effort-sourced" not in how_long


def test_the_skill_page_lists_each_resource_with_kind_cost_and_length(client):
    html = client.get(reverse("roadmap:skill", args=["pytorch"])).content.decode()
    resources = section(html, "resources-heading")
    text = " ".join(re.sub(r"<[^>]+>", " ", resources).split())
    assert "PyTorch documentation Official documentation · free" in text
    assert "Deep Learning with PyTorch: A 60 Minute Blitz Tutorial · free · 60 minutes" in text
    html = client.get(reverse("roadmap:skill", args=["ai-ethics-bias"])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", section(html, "resources-heading")).split())
    assert "Course · cost not stated · 15 hours" in text


def test_the_path_row_shows_the_estimate_and_resources(alice_client, junior_to_senior):
    html = alice_client.get(reverse("roadmap:path")).content.decode()
    row = html[html.index('id="skill-docker"') :]
    row = row[: row.index("</li>\n")]
    assert "How long, from where" in row
    assert "our estimate, not a sourced figure." in row
    assert "Docker docs: Get started" in row and "Tutorial" in row
