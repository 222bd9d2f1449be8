"""A skill's self-check, through its pages: drawing, answering with and without htmx,
scoring, the cool-off, expiry, and the right answer never showing before it is earned."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from roadmap import checks
from roadmap.models import CatalogueChange, CheckAttempt, CheckQuestion, Skill, SkillProgress

pytestmark = pytest.mark.django_db

SKILL = "python"
START = f"/skills/{SKILL}/check/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def start(client, **extra):
    response = client.post(START, **extra)
    attempt = CheckAttempt.objects.filter(skill__slug=SKILL).order_by("-pk").first()
    return response, attempt


def answers_for(attempt, right=5, places=None):
    """Form data answering the attempt: the first `right` of its questions right."""
    data = {}
    questions = CheckQuestion.objects.in_bulk([q["id"] for q in attempt.questions])
    for place, item in enumerate(attempt.questions):
        if places is not None and place not in places:
            continue
        question = questions[item["id"]]
        good = place < right
        name = f"answer-{place}"
        if question.kind == "number":
            data[name] = str(question.answer if good else question.answer + 1000)
        else:
            shown = [p for p, i in enumerate(item["order"]) if i in question.correct_indexes]
            wrong = [p for p, i in enumerate(item["order"]) if i not in question.correct_indexes]
            data[name] = shown if good else wrong[:1]
    return data


def test_every_skill_on_the_ladder_has_a_pool_of_at_least_eight():
    for skill in Skill.objects.filter(role_skills__role__kind="ladder").distinct():
        assert skill.check_questions.filter(is_active=True).count() >= checks.MIN_POOL, skill.slug


def test_the_self_check_needs_sign_in(client):
    response = client.get(START)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_skill_page_leads_to_its_self_check(client):
    html = client.get(f"/skills/{SKILL}/").content.decode()
    assert START in html


def test_an_attempt_draws_five_questions_and_shows_no_answer(alice_client):
    response, attempt = start(alice_client)
    assert response.status_code == 302
    assert response["Location"] == f"/checks/{attempt.pk}/"
    html = alice_client.get(response["Location"]).content.decode()
    assert html.count("<fieldset") == 5 and html.count("<legend>") == 5
    questions = CheckQuestion.objects.in_bulk([q["id"] for q in attempt.questions])
    assert {q.skill.slug for q in questions.values()} == {SKILL}
    for question in questions.values():
        assert question.prompt in html.replace("&#x27;", "'").replace("&quot;", '"')
        assert question.explanation[:60] not in html
    assert "right answer" not in html and "check-right" not in html
    # The options carry their shown position only.
    assert 'value="0"' in html or 'name="answer-0"' in html


def test_passing_records_the_date_and_offers_mark_as_done_without_ticking(alice_client, alice):
    _, attempt = start(alice_client)
    response = alice_client.post(f"/checks/{attempt.pk}/answer/", answers_for(attempt, right=4))
    assert response.status_code == 302
    html = alice_client.get(response["Location"]).content.decode()
    assert "Passed: 4 of 5 right" in html
    assert f"Mark {Skill.objects.get(slug=SKILL).name} as done" in html
    attempt.refresh_from_db()
    assert attempt.passed and attempt.correct_count == 4
    progress = SkillProgress.objects.get(user=alice, skill__slug=SKILL)
    assert progress.status == "not_started" and progress.checked_at == attempt.finished_at
    # The result shows every explanation and which option was right, after the fact.
    assert "right answer" in html or "The answer:" in html


def test_failing_says_what_to_read_again_and_when_the_next_attempt_opens(alice_client):
    _, attempt = start(alice_client)
    response = alice_client.post(f"/checks/{attempt.pk}/answer/", answers_for(attempt, right=3))
    html = alice_client.get(response["Location"]).content.decode()
    assert "Not passed: 3 of 5 right" in html
    assert "Read again" in html
    missed = CheckQuestion.objects.get(pk=attempt.questions[4]["id"])
    assert f'href="{missed.source_url}"' in html
    opens = timezone.localtime(attempt.started_at + checks.COOL_OFF)
    assert f"The next attempt opens at {opens:%H:%M}" in html
    attempt.refresh_from_db()
    assert not attempt.passed


def test_one_attempt_at_a_time_and_the_next_only_after_the_cool_off(alice_client):
    _, first = start(alice_client)
    response, again = start(alice_client)
    assert again.pk == first.pk and response["Location"] == f"/checks/{first.pk}/"
    alice_client.post(f"/checks/{first.pk}/answer/", answers_for(first, right=0))
    response = alice_client.post(START)
    assert response.status_code == 429
    assert "Your next attempt opens at" in response.content.decode()
    assert CheckAttempt.objects.count() == 1
    CheckAttempt.objects.update(started_at=timezone.now() - checks.COOL_OFF)
    response, second = start(alice_client)
    assert response.status_code == 302 and second.pk != first.pk


def test_an_expired_attempt_accepts_no_answers(alice_client):
    _, attempt = start(alice_client)
    CheckAttempt.objects.filter(pk=attempt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = alice_client.post(f"/checks/{attempt.pk}/answer/", answers_for(attempt))
    assert response.status_code == 410
    assert "ran out of time" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.finished and not attempt.passed and attempt.answers == {}


def test_a_missing_answer_is_refused_and_what_was_picked_stays(alice_client):
    _, attempt = start(alice_client)
    data = answers_for(attempt, places={0, 1, 2, 3})
    response = alice_client.post(f"/checks/{attempt.pk}/answer/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html and "checked" in html
    attempt.refresh_from_db()
    assert attempt.answers == {} and not attempt.finished


@pytest.mark.parametrize("value", ["9", "-1", "x", "0 OR 1=1", "1" * 500])
def test_junk_answers_are_a_400_never_a_500(alice_client, value):
    _, attempt = start(alice_client)
    data = answers_for(attempt)
    for place in range(5):
        data[f"answer-{place}"] = value
    response = alice_client.post(f"/checks/{attempt.pk}/answer/", data)
    assert response.status_code == 400


def test_another_persons_attempt_is_not_found(alice_client, client, bob):
    _, attempt = start(alice_client)
    client.force_login(bob)
    assert client.get(f"/checks/{attempt.pk}/").status_code == 404
    assert client.post(f"/checks/{attempt.pk}/answer/", answers_for(attempt)).status_code == 404


def test_with_htmx_one_question_at_a_time_with_its_explanation_after_answering(alice_client):
    response, attempt = start(alice_client, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<fieldset") == 1
    assert "Question 1 of 5" in html and "<html" not in html
    questions = CheckQuestion.objects.in_bulk([q["id"] for q in attempt.questions])
    for place in range(5):
        question = questions[attempt.questions[place]["id"]]
        assert question.explanation[:60] not in html  # not before answering
        data = {"place": str(place), **answers_for(attempt, right=5, places={place})}
        response = alice_client.post(f"/checks/{attempt.pk}/answer/", data, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        if place < 4:
            assert f"Question {place + 2} of 5" in html
            assert "Right" in html and question.explanation[:40] in html.replace("&#x27;", "'")
    assert "Passed: 5 of 5 right" in html
    attempt.refresh_from_db()
    assert attempt.passed


def test_with_htmx_a_question_cannot_be_answered_twice(alice_client):
    _, attempt = start(alice_client, **HTMX)
    data = {"place": "0", **answers_for(attempt, right=0, places={0})}
    alice_client.post(f"/checks/{attempt.pk}/answer/", data, **HTMX)
    again = {"place": "0", **answers_for(attempt, right=5, places={0})}
    response = alice_client.post(f"/checks/{attempt.pk}/answer/", again, **HTMX)
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert list(attempt.answers) == ["0"]


def test_starting_is_throttled_per_user(alice_client, settings):
    from roadmap.views import checks as views

    CheckAttempt.objects.all().delete()
    for _ in range(views.STARTS_PER_HOUR):
        CheckAttempt.objects.update(started_at=timezone.now() - checks.COOL_OFF)
        attempt = CheckAttempt.objects.filter(finished_at__isnull=True).first()
        if attempt:
            attempt.finish()
        assert alice_client.post(START).status_code == 302
    CheckAttempt.objects.update(started_at=timezone.now() - checks.COOL_OFF)
    assert alice_client.post(START).status_code == 429


def test_a_question_edit_is_in_the_changelog_without_the_answer(client):
    question = CheckQuestion.objects.filter(skill__slug=SKILL, kind="single").first()
    question.explanation = "A new explanation that names the answer."
    question.correct = "1" if question.correct != "1" else "2"
    question.save()
    change = CatalogueChange.objects.filter(fact="self-check").latest("pk")
    assert change.skill.slug == SKILL
    assert change.new_value == "Changed: right options, explanation"
    html = client.get("/changes/").content.decode()
    assert f"Self-check question {question.key}" in html
    assert "A new explanation" not in html


def test_a_question_not_checked_for_a_year_is_in_the_review_queue(admin_client):
    question = CheckQuestion.objects.filter(skill__slug=SKILL).first()
    question.checked_on = datetime.date(2024, 1, 1)
    question.save()
    html = admin_client.get("/admin/review/").content.decode()
    assert question.key in html and "Self-check questions checked" in html
    admin_client.post("/admin/review/", {"action": "question_checked", "pk": question.pk})
    question.refresh_from_db()
    assert question.checked_on == timezone.localdate()


def test_check_catalogue_fails_when_a_ladder_skill_has_too_few_questions():
    pool = CheckQuestion.objects.filter(skill__slug=SKILL)
    keep = list(pool.values_list("pk", flat=True)[: checks.MIN_POOL - 1])
    pool.exclude(pk__in=keep).update(is_active=False)
    with pytest.raises(CommandError):
        call_command("check_catalogue", stdout=io.StringIO(), stderr=io.StringIO())


def test_check_catalogue_fails_for_a_question_on_an_unknown_page():
    CheckQuestion.objects.filter(skill__slug=SKILL).update(source_url="https://example.org/x")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_catalogue", stdout=out, stderr=out)
    assert "neither a resource of 'python'" in out.getvalue()


def passed_check(client):
    _, attempt = start(client)
    client.post(f"/checks/{attempt.pk}/answer/", answers_for(attempt, right=5))
    attempt.refresh_from_db()
    assert attempt.passed
    return attempt


def test_the_export_and_my_data_carry_the_check_and_an_import_cannot_forge_one(
    alice_client, alice
):
    attempt = passed_check(alice_client)
    skill = Skill.objects.get(slug=SKILL)
    SkillProgress.objects.record_status(alice, skill, "done")
    data = alice_client.get("/path/export.json").json()
    (row,) = [r for r in data["progress"] if r["skill"] == SKILL]
    assert row["checked_at"] == attempt.finished_at.isoformat()
    csv = alice_client.get("/path/export.csv").content.decode()
    assert "checked_at" in csv.splitlines()[0]
    mine = alice_client.get("/accounts/data/").json()
    assert [c["skill"] for c in mine["self_checks"]] == [SKILL]
    assert mine["self_checks"][0]["passed"] is True
    # A file that claims a check records none.
    CheckAttempt.objects.all().delete()
    alice_client.post("/path/import/", {"data": json.dumps(data), "action": "apply"})
    assert not CheckAttempt.objects.exists()
    assert SkillProgress.objects.get(user=alice, skill=skill).status == "done"


def test_my_path_and_the_shared_page_say_done_and_checked(alice_client, alice):
    from tests.helpers import role

    alice.current_role, alice.target_role = None, role("ai-engineer")
    alice.share_token = "sharetoken123"
    alice.save()
    page = alice_client.get("/path/").content.decode()
    assert "Done, checked" not in page
    attempt = passed_check(alice_client)
    when = f"{timezone.localtime(attempt.finished_at):%-d %b %Y}"
    page = alice_client.get("/path/").content.decode()
    assert f"Self-check passed on {when}" in page
    response = alice_client.post(
        f"/path/skills/{SKILL}/status/", {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    assert f"Done, checked on {when}" in response.content.decode()  # the tick's row
    assert f"Done, checked on {when}" in alice_client.get("/path/").content.decode()
    shared = alice_client.get("/shared/sharetoken123/").content.decode()
    assert f"Self-check passed on {when}" in shared


def test_a_fast_moving_skill_checked_over_a_year_ago_is_due_again_and_stays_done(
    alice_client, alice
):
    from tests.helpers import role

    alice.current_role, alice.target_role = None, role("ai-engineer")
    alice.save()
    for slug in ("rag", "python"):
        skill = Skill.objects.get(slug=slug)
        SkillProgress.objects.record_status(alice, skill, "done")
        SkillProgress.objects.record_check(
            alice, skill, timezone.now() - datetime.timedelta(days=400)
        )
    assert Skill.objects.get(slug="rag").fast_moving
    page = alice_client.get("/path/").content.decode()
    rag = page[page.index('id="skill-rag"') :]
    rag = rag[: rag.index("</li>")]
    assert "Re-check due" in rag and "Done, checked on" in rag
    python = page[page.index('id="skill-python"') :]
    assert "Re-check due" not in python[: python.index("</li>")]
    assert SkillProgress.objects.get(user=alice, skill__slug="rag").status == "done"


def test_the_skill_page_says_done_and_checked(alice_client, alice):
    attempt = passed_check(alice_client)
    when = f"{timezone.localtime(attempt.finished_at):%-d %b %Y}"
    html = alice_client.get(f"/skills/{SKILL}/").content.decode()
    assert f"Self-check passed on {when}" in html
    alice_client.post(f"/path/skills/{SKILL}/status/", {"status": "done", "return_to": "skill"})
    html = alice_client.get(f"/skills/{SKILL}/").content.decode()
    assert f"Done, checked on {when}" in html
    # Anonymous visitors and others see nothing of it.
    alice_client.logout()
    assert "checked on" not in alice_client.get(f"/skills/{SKILL}/").content.decode()


def test_a_question_deleted_during_an_attempt_counts_neither_way(alice_client):
    _, attempt = start(alice_client, **HTMX)
    CheckQuestion.objects.filter(pk=attempt.questions[0]["id"]).delete()
    response = alice_client.post(
        f"/checks/{attempt.pk}/answer/", {"place": "0", "answer-0": "0"}, **HTMX
    )
    assert response.status_code == 200  # on to the next question, no 500
    for place in range(1, 5):
        data = {"place": str(place), **answers_for(attempt, right=5, places={place})}
        response = alice_client.post(f"/checks/{attempt.pk}/answer/", data, **HTMX)
    assert "Passed: 4 of 4 right" in response.content.decode()
