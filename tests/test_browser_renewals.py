"""Renewals, the calendar address and the month a skill was learned, in Chromium: axe-core
finds nothing on the pages they change, and the controls work with and without htmx."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from roadmap.renewals import add_months

from .helpers import browser_sign_in, make_learner, phone_problems
from .test_browser_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def axe_path():
    from .test_browser_accessibility import AXE

    assert AXE.exists(), "axe-core missing: run npm ci"
    return str(AXE)


@pytest.fixture
def holder(live_catalogue):
    """Holds a Microsoft associate whose renewal is open, an AWS one, a CKA earned before
    the rule's day and a retired one; plans an exam; has a renewal notice."""
    from roadmap.models import Certification, CertificationProgress

    user = make_learner("holder")
    today = timezone.localdate()
    for slug, on in [
        ("azure-mlops-engineer-associate", add_months(today, -8)),
        ("aws-ml-engineer-associate", add_months(today, -1)),
        ("cka", datetime.date(2024, 1, 15)),
        ("azure-ai-engineer-associate", add_months(today, -3)),  # retired
    ]:
        CertificationProgress.objects.create(
            user=user,
            certification=Certification.objects.get(slug=slug),
            status="earned",
            earned_on=on,
        )
    CertificationProgress.objects.create(
        user=user,
        certification=Certification.objects.get(slug="google-professional-ml-engineer"),
        status="preparing",
        exam_on=today + datetime.timedelta(days=20),
    )
    call_command("note_renewals", stdout=io.StringIO())
    return user


def test_axe_finds_nothing_on_the_pages_renewals_and_months_change(
    new_page, live_catalogue, holder, axe_path
):
    base = live_catalogue.url
    page = new_page(bypass_csp=True)
    browser_sign_in(page, base, "holder")
    page.goto(base + "/accounts/profile/")
    page.get_by_role("button", name="Make my calendar address").click()
    expect(page.locator("#calendar-url")).to_have_value(re.compile(r"/calendar/[-\w]+\.ics$"))
    page.goto(base + "/skills/python/")
    this_month = timezone.localdate().replace(day=1)
    earlier = add_months(this_month, -2)
    page.get_by_label("Month you learned it").fill(f"{earlier:%Y-%m}")
    page.locator("#my-status-done").click()
    expect(page.locator("#my-status [role=status]")).to_have_text(
        f"Saved: Done, learned in {earlier:%B %Y}."
    )
    found = {}
    for url in ["/path/", "/accounts/profile/", "/path/changes/", "/skills/python/"]:
        page.goto(base + url)
        found[url] = axe_violations(page, axe_path)
    page.goto(base + "/path/history/")
    expect(page.locator("table").first).to_contain_text(f"{earlier:%B %Y}")
    found["/path/history/"] = axe_violations(page, axe_path)
    page.goto(base + "/path/import/")
    entry = {"skill": "docker", "status": "done", "completed_at": f"{earlier:%Y-%m}"}
    page.get_by_label("or paste its contents").fill(json.dumps({"progress": [entry]}))
    page.get_by_role("button", name="Show what would change").click()
    expect(page.get_by_text(f"learned in {earlier:%B %Y}")).to_be_visible()
    found["import preview"] = axe_violations(page, axe_path)
    assert {url: v for url, v in found.items() if v} == {}

    page.goto(base + "/path/#renewals")
    renewals = page.locator("#renewals")
    expect(renewals.locator("#renewal-azure-mlops-engineer-associate")).to_contain_text(
        "Renewal is open now"
    )
    expect(renewals.locator("#renewal-cka")).to_contain_text("no expiry date is shown")
    expect(renewals.locator("#renewal-azure-ai-engineer-associate")).to_contain_text("Retired on")
    page.goto(base + "/path/changes/")
    expect(page.get_by_text("Renewal is open")).to_be_visible()


def test_the_exam_date_is_set_from_the_path_with_htmx(new_page, live_catalogue, holder):
    base = live_catalogue.url
    page = new_page()
    browser_sign_in(page, base, "holder")
    day = timezone.localdate() + datetime.timedelta(days=45)
    form = page.locator("#plan-form-google-professional-ml-engineer")
    # Open already: an exam day is set.
    expect(form.locator("details.plan-exam")).to_have_attribute("open", "")
    form.get_by_label("Exam date").fill(day.isoformat())
    form.get_by_role("button", name="Update").click()
    expect(page.locator("#certifications")).to_contain_text(f"exam on {day.day} {day:%b %Y}")


def test_at_375_px_the_new_controls_fit_and_are_44_px_tall(new_page, live_catalogue, holder):
    base = live_catalogue.url
    page = new_page(viewport={"width": 375, "height": 812})
    browser_sign_in(page, base, "holder")
    page.goto(base + "/accounts/profile/")
    page.get_by_role("button", name="Make my calendar address").click()
    for url in ["/path/", "/accounts/profile/", "/skills/python/", "/path/history/"]:
        page.goto(base + url)
        assert phone_problems(page, url) == []
