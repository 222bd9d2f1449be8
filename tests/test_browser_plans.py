"""Planning certifications and ticking a skill from its own page, in Chromium: the control
answers in place, says what happened beside it, and keeps keyboard focus (issue 11, items
7, 8 and 10)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner

pytestmark = pytest.mark.django_db(transaction=True)

CERT = "aws-ml-engineer-associate"
NAME = "AWS Certified Machine Learning Engineer – Associate"


def test_plan_from_a_certification_page_then_record_it_earned(new_page, live_catalogue):
    make_learner("planner")
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "planner")
    page.goto(f"{live_catalogue.url}/certifications/{CERT}/")
    page.get_by_role("button", name="Add to my plan").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#my-plan [role=status]")).to_have_text(f"{NAME}: Planned.")
    # Answered in place: the same control, now saying it is on the plan, still focused.
    expect(page.locator(f"#plan-{CERT}-save")).to_be_focused()
    expect(page.locator(f"#plan-{CERT}-save")).to_have_text("Update")

    page.locator(f"#plan-{CERT}-status").select_option("earned")
    page.get_by_text("Earned it? Date and credential link").click()
    page.get_by_label("Date earned").fill("2026-10-01")
    page.get_by_label("Credential link").fill("https://creds.example/7")
    page.get_by_role("button", name="Update").click()
    expect(page.locator("#my-plan [role=status]")).to_have_text(f"{NAME}: Earned on 1 Oct 2026.")

    page.goto(f"{live_catalogue.url}/path/")
    item = page.locator(f"#plan-{CERT}")
    expect(item).to_contain_text("Earned on 1 Oct 2026")
    expect(item.get_by_role("link", name="Credential")).to_have_attribute(
        "href", "https://creds.example/7"
    )
    # One control for it on the whole path.
    expect(page.locator(f"#plan-form-{CERT}")).to_have_count(1)


def test_a_refusal_shows_beside_the_control_and_nothing_is_saved(new_page, live_catalogue):
    from roadmap.models import CertificationProgress

    make_learner("refused")
    page = new_page(viewport={"width": 375, "height": 812})
    browser_sign_in(page, live_catalogue.url, "refused")
    page.goto(f"{live_catalogue.url}/certifications/{CERT}/")
    page.locator(f"#plan-{CERT}-status").select_option("earned")
    page.get_by_text("Earned it? Date and credential link").click()
    page.get_by_label("Credential link").fill("ftp://creds.example/7")
    page.get_by_role("button", name="Add to my plan").click()
    alert = page.locator("#my-plan [role=alert]")
    expect(alert).to_contain_text("Credential link:")
    expect(alert).to_be_in_viewport()
    expect(page.get_by_label("Credential link")).to_have_value("ftp://creds.example/7")
    assert not CertificationProgress.objects.exists()


def test_plan_from_the_path_keeps_focus_on_the_certification(new_page, live_catalogue):
    make_learner("pathplanner")
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "pathplanner")
    form = page.locator("#recommended-certs form.plan-form").first
    slug = form.get_attribute("id").removeprefix("plan-form-")
    form.get_by_role("button", name="Add to my plan").click()
    # The suggestion now points to the plan, where the one control for it is, focused.
    expect(page.locator(f"#recommended-certs a[href='#plan-{slug}']")).to_contain_text(
        "On my plan: Planned"
    )
    expect(page.locator(f"#plan-{slug}")).to_be_visible()
    page.locator(f"#plan-{slug}-save").focus()
    page.locator(f"#plan-{slug}-status").select_option("preparing")
    page.locator(f"#plan-{slug}-save").press("Enter")
    expect(page.locator(f"#plan-{slug} [role=status]")).to_contain_text(": Preparing.")
    expect(page.locator(f"#plan-{slug}-save")).to_be_focused()
    page.locator(f"#plan-{slug}-status").select_option("remove")
    page.locator(f"#plan-{slug}-save").click()
    expect(page.locator("#certs-feedback")).to_contain_text("is no longer on your plan.")
    # Still suggested, so its control is back among the suggestions, and focus is on it.
    expect(page.locator(f"#recommended-certs #plan-{slug}-save")).to_be_focused()
    expect(page.locator(f"#plan-{slug}-save")).to_have_text("Add to my plan")


def test_a_skill_below_the_path_ticked_from_its_page_moves_the_ladder(new_page, live_catalogue):
    make_learner("below")  # Junior AI Engineer to Senior: Python is below the path
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "below")
    page.goto(f"{live_catalogue.url}/skills/python/")
    page.locator("#my-status").get_by_role("button", name="Done").click()
    # Done this month unless the learner picks another (the month field's default).
    this_month = f"{timezone.localdate():%B %Y}"
    expect(page.locator("#my-status [role=status]")).to_have_text(
        f"Saved: Done, learned in {this_month}."
    )
    expect(page.locator("#my-status-done")).to_be_focused()
    expect(page.locator("#my-status-done")).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_catalogue.url}/path/")
    junior = rung_text(page, "1. Junior AI Engineer")
    from roadmap.models import RoleSkill

    rung = RoleSkill.objects.filter(role__slug="junior-ai-engineer").count()
    assert junior.startswith("1. Junior AI Engineer You are here") and f"(1 of {rung})" in junior


def rung_text(page, title):
    row = page.locator(".standing-rung", has_text=title)
    return " ".join(row.inner_text().split())


def test_the_current_role_vouches_once_and_undo_puts_it_back(new_page, live_catalogue):
    make_learner("analyst", current="data-analyst", target="ai-engineer")
    page = new_page(viewport={"width": 375, "height": 812})
    browser_sign_in(page, live_catalogue.url, "analyst")
    # The ladder says what each bar means, and the current role's bar starts empty.
    expect(page.locator("#ladder-caption")).to_contain_text("what it takes to hold that role")
    assert rung_text(page, "Data Analyst").startswith("Data Analyst You are here 0%")
    target_before = rung_text(page, "2. AI Engineer")

    page.locator("#credit").get_by_role("button", name="Mark 5 skills done").click()
    expect(page.locator("#credit")).to_contain_text("5 skills marked done")
    assert rung_text(page, "Data Analyst").startswith("Data Analyst You are here 100% (5 of 5)")
    assert rung_text(page, "2. AI Engineer") != target_before  # the target's bar moved too
    expect(page.locator("#skill-sql .status-button[aria-pressed=true]")).to_have_text("Done")

    page.locator("#credit").get_by_role("button", name="Undo: put them back").click()
    expect(page.locator("#credit")).to_contain_text("Mark 5 skills done")
    assert rung_text(page, "Data Analyst").startswith("Data Analyst You are here 0%")
    assert rung_text(page, "2. AI Engineer") == target_before


def test_a_retired_certification_offers_only_what_can_succeed(new_page, live_catalogue, settings):
    from roadmap.models import CertificationProgress

    # Under DEBUG (make run), django-htmx's helper would replace the page with a 400's
    # fragment; the page handles a refusal in place there too.
    settings.DEBUG = True
    retired = "aws-ml-specialty"
    make_learner("holder")
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "holder")
    page.goto(f"{live_catalogue.url}/certifications/{retired}/")
    assert page.locator("script[data-debug=True]").count() == 1
    options = page.locator(f"#plan-{retired}-status option")
    expect(options).to_have_text(["Earned"])
    expect(page.locator(f"#plan-{retired}-retired")).to_contain_text(
        "it can no longer be taken, so it cannot be planned"
    )
    # A refusal (a credential link that is not a web address) stays beside the control.
    page.get_by_text("Earned it? Date and credential link").click()
    page.get_by_label("Credential link").fill("ftp://creds.example/7")
    page.get_by_role("button", name="Record as earned").click()
    expect(page.locator("#my-plan [role=alert]")).to_contain_text("Credential link:")
    expect(page.locator("header")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Credential link").fill("https://creds.example/7")
    page.get_by_role("button", name="Record as earned").click()
    expect(page.locator("#my-plan [role=status]")).to_contain_text("Earned")
    plan = CertificationProgress.objects.get()
    assert (plan.certification.slug, plan.status) == (retired, "earned")
