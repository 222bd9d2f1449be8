"""Trust over time: a skill or certification that changed after the user marked it is flagged
on their path until they look at it."""

import datetime

import pytest
from django.utils import timezone

from roadmap.models import Certification, CertificationProgress, Skill, SkillProgress

pytestmark = pytest.mark.django_db

FLAG = "Updated since you marked it"


def mark(user, slug="docker", status="done"):
    progress = SkillProgress.objects.create(
        user=user, skill=Skill.objects.get(slug=slug), status=status
    )
    # Marked a while ago, so a change made now comes after it.
    SkillProgress.objects.filter(pk=progress.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    return progress


def edit_skill(slug="docker", **fields):
    skill = Skill.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(skill, name, value)
    skill.save()
    return skill


def row(html, slug="docker"):
    start = html.index(f'id="skill-{slug}"')
    return html[start : html.index("</li>", start)]


def test_a_description_changed_after_marking_is_flagged_until_the_user_looks(
    alice_client, junior_to_senior
):
    mark(junior_to_senior)
    assert FLAG not in row(alice_client.get("/path/").content.decode())
    edit_skill(summary="Containers, now with a rewritten description.")
    assert FLAG in row(alice_client.get("/path/").content.decode())
    page = alice_client.get("/skills/docker/").content.decode()
    assert "Containers, now with a rewritten description." in page
    assert FLAG not in row(alice_client.get("/path/").content.decode())


def test_a_change_before_marking_is_not_flagged(alice_client, junior_to_senior):
    edit_skill(summary="Changed first.")
    SkillProgress.objects.create(
        user=junior_to_senior, skill=Skill.objects.get(slug="docker"), status="done"
    )
    assert FLAG not in row(alice_client.get("/path/").content.decode())


def test_only_changes_to_what_the_user_reads_are_flagged(alice_client, junior_to_senior):
    mark(junior_to_senior)
    skill = Skill.objects.get(slug="docker")
    skill.prerequisites.clear()  # structure, not wording
    skill.save()
    assert Skill.objects.get(slug="docker").content_changed_at is None
    assert FLAG not in row(alice_client.get("/path/").content.decode())


def test_skills_nobody_marked_are_not_flagged(alice_client, junior_to_senior):
    edit_skill(summary="New words.")
    assert FLAG not in row(alice_client.get("/path/").content.decode())


def test_reloading_the_catalogue_keeps_the_stamp(junior_to_senior):
    import io

    from django.core.management import call_command

    skill = edit_skill(summary="An admin's words.")
    stamp = Skill.objects.get(slug="docker").content_changed_at
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert "Kept: 1" in out.getvalue()
    assert "Updated: 0" in out.getvalue()
    assert Skill.objects.get(pk=skill.pk).content_changed_at == stamp


def test_certification_facts_changed_after_planning_are_flagged_until_looked_at(
    alice_client, junior_to_senior
):
    cert = Certification.objects.get(slug="google-professional-ml-engineer")
    plan = CertificationProgress.objects.create(
        user=junior_to_senior, certification=cert, status="planned"
    )
    CertificationProgress.objects.filter(pk=plan.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    cert.cost = 250
    cert.save()
    html = alice_client.get("/path/").content.decode()
    plans = html[html.index("My certification plan") :]
    assert "Facts updated since you planned it" in plans
    alice_client.get(cert.get_absolute_url())
    html = alice_client.get("/path/").content.decode()
    assert "Facts updated since you planned it" not in html[html.index("My certification plan") :]
