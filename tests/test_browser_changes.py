"""Keeping the catalogue true, in Chromium: an editor retires a planned certification in
admin; the planner sees it on their (cached) path, reads it, and the count is gone; a
reader's correction waits for the review queue, and once accepted the changelog shows it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import PASSWORD, browser_sign_in, make_learner

pytestmark = pytest.mark.django_db(transaction=True)

CERT = "aws-ml-engineer-associate"
NAME = "AWS Certified Machine Learning Engineer – Associate"


def test_a_retirement_reaches_the_planner_and_a_correction_reaches_the_changelog(
    new_page, live_catalogue, django_user_model
):
    from roadmap.models import Certification, CertificationProgress

    base = live_catalogue.url
    planner = make_learner("planner")
    CertificationProgress.objects.set_plan(
        planner, Certification.objects.get(slug=CERT), "planned"
    )
    django_user_model.objects.create_superuser("zoe-admin", "zoe@example.com", PASSWORD)

    learner = new_page()
    browser_sign_in(learner, base, "planner")
    expect(learner).to_have_url(base + "/path/")
    expect(learner.locator(".notice-banner")).to_have_count(0)  # and now it is cached

    # The editor sets a retirement date in admin.
    editor = new_page()
    browser_sign_in(editor, base, "zoe-admin", url="/admin/login/")
    cert = Certification.objects.get(slug=CERT)
    editor.goto(f"{base}/admin/roadmap/certification/{cert.pk}/change/")
    day = timezone.localdate() + datetime.timedelta(days=200)
    editor.locator("#id_retires_on").fill(day.isoformat())
    # The form asks where the new date comes from.
    editor.locator("input[name=_save]").click()
    expect(editor.locator(".errorlist")).to_contain_text("Say where the new value comes from")
    editor.locator("#id_change_reason").fill("Vendor's retirement notice, checked today")
    editor.locator("input[name=_save]").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    learner.reload()
    banner = learner.locator(".notice-banner")
    expect(banner).to_contain_text("1 change since your last visit")
    assert banner.evaluate("el => getComputedStyle(el).borderLeftStyle") == "solid"
    banner.get_by_role("link").click()
    expect(learner).to_have_url(base + "/path/changes/")
    change = learner.locator(".notice-new .change")
    expect(change).to_contain_text(f"{NAME}: Retirement date")
    expect(change).to_contain_text(f"{day.day} {day:%b %Y}")
    learner.goto(base + "/path/")
    expect(learner.locator(".notice-banner")).to_have_count(0)

    # The learner suggests a correction from a fact on the certification page.
    learner.goto(f"{base}/certifications/{CERT}/")
    learner.get_by_role("link", name="Suggest a correction to Exam cost").click()
    expect(learner.get_by_label("Which fact")).to_have_value("Exam cost")
    learner.get_by_label("What is wrong").fill("The exam fee rose this year.")
    learner.get_by_label("A source that says otherwise").fill("https://example.org/fees")
    learner.get_by_role("button", name="Send the correction").click()
    expect(learner).to_have_url(base + "/corrections/")
    expect(learner.locator(".correction")).to_contain_text("Waiting for review")
    learner.goto(base + "/changes/")
    expect(learner.locator("#changes")).not_to_contain_text("The exam fee rose")

    # The editor accepts it in the review queue; the changelog and the sender see it.
    editor.goto(base + "/admin/review/")
    item = editor.locator(".module", has_text="The exam fee rose this year.")
    item.locator("textarea[name=note]").fill("Fee confirmed on the vendor page.")
    item.get_by_role("button", name="Accept").click()
    expect(editor.locator(".messagelist")).to_contain_text("accepted")
    expect(editor.locator("#recent ~ table")).to_contain_text("Correction accepted")

    learner.goto(base + "/changes/")
    newest = learner.locator("#changes .change").first
    expect(newest).to_contain_text("Correction: Exam cost")
    expect(newest).to_contain_text("Fee confirmed on the vendor page.")
    expect(newest).to_contain_text("Source given by a reader")
    expect(newest).not_to_contain_text("none →")
    expect(learner.locator("#changes")).not_to_contain_text("zoe")
    learner.goto(base + "/corrections/")
    expect(learner.locator(".correction")).to_contain_text("Accepted")
