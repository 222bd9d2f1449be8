"""Credit for the current role: one confirmation marks done what it covers; undo puts back
exactly what it changed (issue 11, item 7)."""

import re

import pytest
from django.urls import reverse

from roadmap.models import Role, SkillProgress

from .helpers import statuses

pytestmark = pytest.mark.django_db

CREDIT = reverse("roadmap:credit")


@pytest.fixture
def analyst(alice, data_analyst_role, ai_engineer_role):
    alice.current_role = data_analyst_role
    alice.target_role = ai_engineer_role
    alice.save()
    return alice


def analyst_skills():
    return set(
        Role.objects.get(slug="data-analyst").role_skills.values_list("skill__slug", flat=True)
    )


def test_the_path_offers_what_the_current_role_covers(alice_client, analyst):
    html = alice_client.get("/path/").content.decode()
    box = html[html.index('id="credit"') : html.index('class="path-top"')]
    assert "Your current role, Data Analyst, usually means you have" in box
    assert f"Mark {len(analyst_skills())} skills done" in box


def test_credit_marks_done_once_and_undo_puts_back_what_it_changed(alice_client, analyst):
    skills = analyst_skills()
    sql = SkillProgress.objects.create(user=analyst, skill_id=_skill("sql"))
    sql.set_status("learning")
    sql.save()
    SkillProgress.objects.create(user=analyst, skill_id=_skill("statistics"), status="skipped")

    response = alice_client.post(CREDIT, {"action": "apply"})
    assert response["Location"] == "/path/#credit"
    after = statuses(analyst)
    assert after["statistics"] == "skipped"  # the user's own choice stands
    assert all(after[s] == "done" for s in skills - {"statistics"})
    # Not learned here: no completion time, so not in the history chart.
    assert not SkillProgress.objects.filter(user=analyst, completed_at__isnull=False).exists()
    html = alice_client.get("/path/").content.decode()
    assert f"{len(skills) - 1} skills marked done because your current role" in html
    assert "Mark " not in html[html.index('id="credit"') : html.index('class="path-top"')]

    # The user changes one of them: undo leaves that one alone.
    alice_client.post(reverse("roadmap:path_status"), {"set": "python:learning"})
    alice_client.post(CREDIT, {"action": "undo"})
    back = statuses(analyst)
    assert back["sql"] == "learning" and back["statistics"] == "skipped"
    assert back["python"] == "learning"
    assert all(back[s] == "not_started" for s in skills - {"sql", "statistics", "python"})


def test_credit_needs_a_current_role_and_a_known_action(alice_client, alice):
    assert alice_client.post(CREDIT, {"action": "apply"}).status_code == 400
    assert alice_client.post(CREDIT, {"action": "everything"}).status_code == 400
    assert alice_client.get(CREDIT).status_code == 405
    assert not SkillProgress.objects.exists()


def test_a_ladder_role_vouches_for_its_rung_and_those_below(alice_client, alice):
    alice.current_role = Role.objects.get(slug="ai-engineer")
    alice.target_role = Role.objects.get(slug="head-of-ai")
    alice.save()
    alice_client.post(CREDIT, {"action": "apply"})
    done = {s for s, st in statuses(alice).items() if st == "done"}
    below = set(
        Role.objects.filter(slug__in=["junior-ai-engineer", "ai-engineer"]).values_list(
            "role_skills__skill__slug", flat=True
        )
    )
    assert done == below
    html = alice_client.get("/path/").content.decode()
    assert "2. AI Engineer You are here 100%" in " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _skill(slug):
    from roadmap.models import Skill

    return Skill.objects.get(slug=slug).pk
