"""When I learned it: a skill marked done with the month it was learned, on its own page and
in the import; the history's month chart and heatmap count it there; the history stays the
user's own."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Skill, SkillProgress
from roadmap.path import monthly_completions, parse_month

from .helpers import make_learner

pytestmark = pytest.mark.django_db

D = datetime.date


def months_ago(n, today=None):
    today = (today or timezone.localdate()).replace(day=1)
    month0 = today.year * 12 + today.month - 1 - n
    return D(month0 // 12, month0 % 12 + 1, 1)


@pytest.fixture
def skill():
    return Skill.objects.order_by("slug").first()


@pytest.fixture
def learner(client):
    user = make_learner("learner")
    client.force_login(user)
    return user


def mark_done(client, skill, month, **headers):
    return client.post(
        reverse("roadmap:skill_status", args=[skill.slug]),
        {"status": "done", "return_to": "skill", "learned_in": month},
        headers=headers,
    )


# ------------------------------------------------------------------ the rules, pure


def test_a_month_is_read_as_its_first_day_and_checked():
    today = D(2026, 12, 2)
    assert parse_month("2026-09", today) == (D(2026, 9, 1), None)
    assert parse_month(" 2026-9 ", today) == (D(2026, 9, 1), None)
    assert parse_month("2026-12", today) == (D(2026, 12, 1), None)
    assert "future" in parse_month("2027-01", today)[1]
    assert "1970" in parse_month("1969-12", today)[1]
    for bad in ("2026-13", "2026-00", "Sept 2026", "", "2026-09-01", "9" * 30):
        assert parse_month(bad, today)[0] is None


def test_a_refused_month_says_why():
    today = D(2026, 12, 2)
    form = "Give the month you learned it as year and month, like 2026-09."
    assert parse_month("Sept 2026", today) == (None, form)
    assert parse_month("2026-13", today) == (None, form)
    assert parse_month("1969-12", today) == (
        None,
        "The month you learned it cannot be before January 1970.",
    )
    assert parse_month("2027-01", today) == (
        None,
        "The month you learned it cannot be in the future.",
    )


def test_january_1970_and_this_month_are_allowed_even_on_its_first_day():
    assert parse_month("1970-01", D(2026, 12, 2)) == (D(1970, 1, 1), None)
    assert parse_month("2026-12", D(2026, 12, 1)) == (D(2026, 12, 1), None)
    assert parse_month("2027-01", D(2026, 12, 31))[0] is None


def test_a_month_with_spaces_around_it_is_read_up_to_twenty_characters_in_all():
    today = D(2026, 12, 2)
    assert parse_month(" 2026-09".ljust(20), today) == (D(2026, 9, 1), None)
    assert parse_month(" 2026-09".ljust(21), today)[0] is None


def test_completions_are_counted_by_month_for_the_last_twelve():
    completed = [D(2026, 9, 1), D(2026, 9, 30), D(2025, 1, 5)]
    months = monthly_completions(completed, D(2026, 12, 2), months=12)
    assert months[0] == (D(2026, 1, 1), 0)
    assert months[-1] == (D(2026, 12, 1), 0)
    assert dict(months)[D(2026, 9, 1)] == 2
    assert D(2025, 1, 1) not in dict(months)


# ------------------------------------------------------------------ the skill's page


def test_the_skill_page_offers_this_month_by_default_and_no_future_one(client, learner, skill):
    page = client.get(skill.get_absolute_url()).content.decode()
    this_month = f"{timezone.localdate():%Y-%m}"
    assert 'type="month"' in page
    assert f'value="{this_month}"' in page
    assert f'max="{this_month}"' in page
    assert 'min="1970-01"' in page


def test_a_skill_marked_done_in_an_earlier_month_is_dated_to_it(client, learner, skill):
    month = months_ago(3)
    response = mark_done(client, skill, f"{month:%Y-%m}")
    assert response.status_code == 302
    progress = SkillProgress.objects.get(user=learner, skill=skill)
    assert progress.status == "done"
    assert timezone.localtime(progress.completed_at).date() == month
    assert progress.started_at <= progress.completed_at
    page = client.get(response["Location"]).content.decode()
    assert f"learned in {month:%B %Y}" in page


def test_the_htmx_answer_says_the_month(client, learner, skill):
    month = months_ago(5)
    response = mark_done(client, skill, f"{month:%Y-%m}", HX_Request="true")
    assert response.status_code == 200
    assert f"Saved: Done, learned in {month:%B %Y}." in response.content.decode()


def test_this_month_keeps_the_moment_it_was_marked_done(client, learner, skill):
    mark_done(client, skill, f"{timezone.localdate():%Y-%m}")
    first = SkillProgress.objects.get(user=learner, skill=skill).completed_at
    assert timezone.now() - first < datetime.timedelta(minutes=1)
    mark_done(client, skill, f"{timezone.localdate():%Y-%m}")
    assert SkillProgress.objects.get(user=learner, skill=skill).completed_at == first


def test_the_month_of_a_done_skill_can_be_changed(client, learner, skill):
    mark_done(client, skill, f"{months_ago(2):%Y-%m}")
    mark_done(client, skill, f"{months_ago(6):%Y-%m}")
    progress = SkillProgress.objects.get(user=learner, skill=skill)
    assert timezone.localtime(progress.completed_at).date() == months_ago(6)


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("next", "cannot be in the future"),
        ("1969-12", "before January 1970"),
        ("2026-13", "like 2026-09"),
        ("September", "like 2026-09"),
    ],
)
def test_a_bad_month_is_refused_with_a_message(client, learner, skill, month, message):
    if month == "next":
        month = f"{months_ago(-1):%Y-%m}"
    response = mark_done(client, skill, month)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SkillProgress.objects.filter(user=learner, skill=skill, status="done").exists()


# ------------------------------------------------------------------ the import and export


def test_the_import_takes_the_month_a_skill_was_learned(client, learner, skill):
    month = months_ago(4)
    data = json.dumps(
        {
            "format": "ai-roadmap-progress/1",
            "progress": [
                {"skill": skill.slug, "status": "done", "completed_at": f"{month:%Y-%m}"}
            ],
        }
    )
    preview = client.post(reverse("roadmap:import"), {"data": data}).content.decode()
    assert f"learned in {month:%B %Y}" in preview
    client.post(reverse("roadmap:import"), {"data": data, "action": "apply"})
    progress = SkillProgress.objects.get(user=learner, skill=skill)
    assert timezone.localtime(progress.completed_at).date() == month


def test_a_future_month_in_the_import_is_refused(client, learner, skill):
    data = json.dumps(
        {
            "progress": [
                {"skill": skill.slug, "status": "done", "completed_at": f"{months_ago(-2):%Y-%m}"}
            ]
        }
    )
    response = client.post(reverse("roadmap:import"), {"data": data, "action": "apply"})
    assert response.status_code == 400
    assert "completed_at must be between 1970-01-01 and tomorrow" in response.content.decode()
    assert not SkillProgress.objects.filter(user=learner).exists()


def test_the_learned_month_survives_an_export_and_import(client, learner, skill):
    mark_done(client, skill, f"{months_ago(7):%Y-%m}")
    before = SkillProgress.objects.get(user=learner, skill=skill).completed_at
    exported = client.get(reverse("roadmap:export_json")).content.decode()
    SkillProgress.objects.filter(user=learner).delete()
    client.post(reverse("roadmap:import"), {"data": exported, "action": "apply"})
    assert SkillProgress.objects.get(user=learner, skill=skill).completed_at == before


# ------------------------------------------------------------------ the history


def test_the_history_counts_a_skill_in_the_month_it_was_learned(client, learner, skill):
    month = months_ago(3)  # e.g. marked "2026-09" in December 2026
    mark_done(client, skill, f"{month:%Y-%m}")
    response = client.get(reverse("roadmap:history"))
    page = response.content.decode()
    assert f"<tr><td>{month:%B %Y}</td><td>1</td></tr>" in page
    assert f"<tr><td>{timezone.localdate():%B %Y}</td><td>0</td></tr>" in page
    assert "last 12 months: 1 in all" in page


def test_the_heatmap_counts_a_month_dated_skill_once_on_its_first_day(client, learner, skill):
    month = months_ago(1)  # its first day is always within the last 12 weeks
    mark_done(client, skill, f"{month:%Y-%m}")
    cells = client.get(reverse("roadmap:history")).context["activity_cells"]
    counts = {cell["day"]: cell["count"] for cell in cells}
    assert counts[month] == 1
    assert sum(counts.values()) == 1


def test_the_history_is_never_public(client, skill):
    owner = make_learner("owner")
    client.force_login(owner)
    mark_done(client, skill, f"{months_ago(2):%Y-%m}")
    client.post(reverse("accounts:share"), {"action": "start", "display_name": ""})
    owner.refresh_from_db()
    anonymous = Client()
    for name in ("roadmap:history", "roadmap:notices", "roadmap:export_json"):
        response = anonymous.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    mine = client.get(reverse("roadmap:history"))
    assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]
    other = Client()
    other.force_login(make_learner("other"))
    theirs = other.get(reverse("roadmap:history")).content.decode()
    assert "last 12 months: 0 in all" in theirs
    shared = anonymous.get(reverse("roadmap:shared_path", args=[owner.share_token]))
    assert shared.status_code == 200
    assert f"{months_ago(2):%B %Y}" not in shared.content.decode()
    assert reverse("roadmap:history") not in shared.content.decode()
