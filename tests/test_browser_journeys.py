"""Journeys in a real browser (Debian's Chromium through Playwright) against a live server."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import PASSWORD, make_learner

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(page, base, username):
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{base}/path/")


def choose_roles(page, current, target):
    page.get_by_label("Where you are now").select_option(label=current)
    page.get_by_label("Where you want to go").select_option(label=target)
    page.get_by_role("button", name="Show my path").click()
    expect(page.get_by_role("heading", name=re.compile("My path to"))).to_be_visible()


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/path/")


def test_a_newcomer_signs_up_follows_a_path_and_finds_it_again(new_page, live_catalogue):
    base = live_catalogue.url
    page = new_page()
    sign_up(page, base, "newcomer")
    choose_roles(page, "1. Junior AI Engineer", "3. Senior AI Engineer")
    expect(page.locator("#count-done")).to_have_text("0")
    expect(page.locator("#count-remaining")).to_have_text("27")

    # Tick a skill: the row and the summary change, and the page is not reloaded.
    page.evaluate("window.__same_page = true")
    row = page.locator("#skill-docker")
    row.get_by_role("button", name="Done").click()
    expect(page.locator("#skill-docker")).to_have_class(re.compile("status-done"))
    expect(page.locator("#count-done")).to_have_text("1")
    expect(page.locator("#count-remaining")).to_have_text("26")
    assert page.evaluate("window.__same_page") is True

    # A note, on its own page (it works the same with and without JavaScript).
    row.get_by_role("link", name="Add note").click()
    page.get_by_label("Note").fill("Containerised my first model")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(f"{base}/path/#skill-docker")
    expect(page.locator("#skill-docker").get_by_role("link", name="Edit note")).to_be_visible()

    # Reload: still ticked, note still there.
    page.reload()
    expect(page.locator("#skill-docker")).to_have_class(re.compile("status-done"))
    expect(page.locator("#skill-docker").get_by_role("button", name="Done")).to_have_attribute(
        "aria-pressed", "true"
    )

    # Sign out and back in: everything is where it was.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(page, base, "newcomer")
    expect(page.locator("#skill-docker")).to_have_class(re.compile("status-done"))
    expect(page.locator("#count-done")).to_have_text("1")
    page.locator("#skill-docker").get_by_role("link", name="Edit note").click()
    expect(page.get_by_label("Note")).to_have_value("Containerised my first model")

    # A second person sees none of it.
    other = new_page()
    sign_up(other, base, "someoneelse")
    choose_roles(other, "1. Junior AI Engineer", "3. Senior AI Engineer")
    expect(other.locator("#count-done")).to_have_text("0")
    expect(other.locator("#skill-docker")).to_have_class(re.compile("status-not_started"))
    other.locator("#skill-docker").get_by_role("link", name="Add note").click()
    expect(other.get_by_label("Note")).to_have_value("")


def test_ticking_works_without_javascript(new_page, live_catalogue):
    make_learner("nojs", target="ai-engineer")
    base = live_catalogue.url
    page = new_page(java_script_enabled=False)
    sign_in(page, base, "nojs")
    page.locator("#skill-docker").get_by_role("button", name="Learning").click()
    expect(page).to_have_url(f"{base}/path/#skill-docker")
    expect(page.locator("#skill-docker")).to_have_class(re.compile("status-learning"))
    expect(page.locator("#count-learning")).to_have_text("1")
    page.locator("#skill-docker").get_by_role("link", name="Add note").click()
    page.get_by_label("Evidence link").fill("ftp://not-a-web-link.example")
    page.get_by_label("Note").fill("Typed without JavaScript")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("http:// or https://")
    expect(page.get_by_label("Note")).to_have_value("Typed without JavaScript")
