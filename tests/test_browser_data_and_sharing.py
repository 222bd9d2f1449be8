"""Sharing and moving one's data, as a person does it in Chromium (issue 11, items 5 and 12)."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shared_path_never_publishes_an_email_username(new_page, live_catalogue):
    from accounts.models import User
    from roadmap.models import Role

    User.objects.create_user(
        "jane.doe@example.com",
        "jane.doe@example.com",
        "correct-horse-battery-9",
        current_role=Role.objects.get(slug="junior-ai-engineer"),
        target_role=Role.objects.get(slug="senior-ai-engineer"),
    )
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "jane.doe@example.com")
    page.goto(live_catalogue.url + "/accounts/profile/")
    page.get_by_role("button", name="Share my path").click()
    expect(page.locator(".share")).to_contain_text("It is titled “A shared path”")
    shared = page.locator(".share a[href^='/shared/']").get_attribute("href")

    visitor = new_page()
    visitor.goto(live_catalogue.url + shared)
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("A shared path")
    html = visitor.content()
    assert "jane.doe" not in html and "example.com" not in html
    assert (
        visitor.locator("meta[property='og:title']")
        .get_attribute("content")
        .startswith("A shared path")
    )

    # A display name, once chosen, is what the page shows.
    page.get_by_label("Name to show on the shared page (optional)").fill("Jane")
    page.get_by_role("button", name="Save sharing settings").click()
    visitor.reload()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Jane’s path")


def test_export_then_import_elsewhere_restores_roles_hours_plan_and_progress(
    new_page, live_catalogue, tmp_path
):
    from roadmap.models import Certification, CertificationProgress, Skill, SkillProgress

    source = make_learner("mover", current="data-analyst", target="ai-engineer")
    source.hours_per_week = 6
    source.save()
    SkillProgress.objects.create(
        user=source, skill=Skill.objects.get(slug="python"), status="done", hours_estimate=12
    )
    CertificationProgress.objects.create(
        user=source,
        certification=Certification.objects.get(slug="aws-ml-engineer-associate"),
        status="planned",
    )
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "mover")
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON").click()
    exported = tmp_path / "mine.json"
    download.value.save_as(exported)

    make_learner("arrival", current=None, target="senior-ai-engineer")
    other = new_page()
    browser_sign_in(other, live_catalogue.url, "arrival")
    other.goto(live_catalogue.url + "/path/import/")
    other.get_by_label("An export file (JSON)").set_input_files(exported)
    other.get_by_role("button", name="Show what would change").click()
    # In words, not codes.
    python = other.locator("table.import-preview tr", has_text="Python").first
    assert python.locator("td").all_inner_texts()[1:4] == ["Python", "—", "Done"]
    extras = " ".join(other.locator("table.import-preview").last.inner_text().split())
    assert "Data Analyst" in extras and "Planned" in extras and "planned" not in extras
    other.get_by_role("button", name=re.compile(r"^Import ")).click()
    expect(other).to_have_url(re.compile("/path/"))
    expect(other.locator("h1")).to_have_text("My path to AI Engineer")
    expect(other.locator("#skill-python .status-button[aria-pressed=true]")).to_have_text("Done")
    expect(other.locator("#plan-aws-ml-engineer-associate")).to_contain_text("Planned")

    # The same file again: nothing would change, and it says so.
    other.goto(live_catalogue.url + "/path/import/")
    other.get_by_label("An export file (JSON)").set_input_files(exported)
    other.get_by_role("button", name="Show what would change").click()
    expect(other.get_by_role("heading", name="Nothing would change")).to_be_visible()
