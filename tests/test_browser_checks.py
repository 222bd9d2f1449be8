"""A self-check in a real browser: with htmx one question at a time, answered in place; without
JavaScript one form; both by keyboard-reachable controls, checked by axe-core, at 375 px."""

import pytest
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner, phone_problems
from .test_browser_accessibility import axe_path, axe_violations  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)

SKILL = "python"


def attempt_of(username):
    from roadmap.models import CheckAttempt

    return CheckAttempt.objects.filter(user__username=username).latest("pk")


def right_choice(attempt, place):
    """How a person who knows the answer answers question `place`: (kind, shown positions or
    the number)."""
    from roadmap.models import CheckQuestion

    item = attempt.questions[place]
    question = CheckQuestion.objects.get(pk=item["id"])
    if question.kind == "number":
        return "number", str(question.answer.normalize())
    return question.kind, [p for p, i in enumerate(item["order"]) if i in question.correct_indexes]


def answer(page, place, kind, value):
    fieldset = page.locator(f"#question-{place}")
    if kind == "number":
        fieldset.get_by_label("Your answer (a number)").fill(value)
    else:
        for position in value:
            fieldset.locator(f'input[value="{position}"]').check()


def test_with_htmx_one_question_at_a_time_in_place(live_catalogue, new_page, axe_path):  # noqa: F811
    make_learner("checker")
    page = new_page(bypass_csp=True)  # axe-core is injected
    base = live_catalogue.url
    browser_sign_in(page, base, "checker")
    page.goto(f"{base}/skills/{SKILL}/check/")
    assert axe_violations(page, axe_path) == []
    page.get_by_role("button", name="Start the self-check").click()
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()
    assert page.url == f"{base}/skills/{SKILL}/check/"  # answered in place, no navigation
    assert axe_violations(page, axe_path) == []
    attempt = attempt_of("checker")
    for place in range(5):
        expect(page.locator("fieldset")).to_have_count(1)
        answer(page, place, *right_choice(attempt, place))
        page.get_by_role("button", name="Answer").click()
        if place < 4:
            expect(page.get_by_text(f"Question {place + 2} of 5")).to_be_visible()
            expect(page.locator("#feedback-heading")).to_have_text("Right")
    expect(page.get_by_role("heading", name="Passed: 5 of 5 right")).to_be_visible()
    assert axe_violations(page, axe_path) == []
    # Passing offers to mark it done; the learner decides.
    page.get_by_role("button", name="Mark Python as done").click()
    expect(page).to_have_url(f"{base}/skills/{SKILL}/#my-status")


def test_without_javascript_one_form_then_the_result(live_catalogue, new_page, axe_path):  # noqa: F811
    make_learner("plain")
    page = new_page(java_script_enabled=False, viewport={"width": 375, "height": 800})
    base = live_catalogue.url
    browser_sign_in(page, base, "plain")
    page.goto(f"{base}/skills/{SKILL}/check/")
    page.get_by_role("button", name="Start the self-check").click()
    attempt = attempt_of("plain")
    expect(page).to_have_url(f"{base}/checks/{attempt.pk}/")
    expect(page.locator("fieldset")).to_have_count(5)
    assert phone_problems(page, page.url) == []
    for place in range(5):
        kind, value = right_choice(attempt, place)
        if place == 0 and kind != "number":  # one wrong answer: 4 of 5 still passes
            value = [p for p in range(len(attempt.questions[0]["order"])) if p not in value][:1]
        answer(page, place, kind, value)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
    assert phone_problems(page, page.url) == []
    # The page where the answers were given is new to this browser (JS off): check axe on a
    # copy with JavaScript, the same markup.
    js_page = new_page(bypass_csp=True)
    browser_sign_in(js_page, base, "plain")
    js_page.goto(f"{base}/checks/{attempt.pk}/")
    assert axe_violations(js_page, axe_path) == []
