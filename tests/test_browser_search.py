"""The search in Chromium (issue 21, item 5): the header's box submits without JavaScript,
htmx shows results as one types on the search page, axe-core finds nothing on it, and at
375 px the header with the box does not scroll sideways."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner
from .test_browser_accessibility import axe_path, axe_violations  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_javascript_the_header_box_submits_to_the_results_page(new_page, live_catalogue):
    base = live_catalogue.url
    page = new_page(java_script_enabled=False)
    page.goto(base + "/roles/ai-engineer/")
    box = page.get_by_role("searchbox", name="Search skills, roles, certifications and sources")
    box.fill("AI-102")
    box.press("Enter")
    expect(page).to_have_url(base + "/search/?q=AI-102")
    expect(page.get_by_role("heading", name="Certifications")).to_be_visible()
    expect(page.locator("#search-status")).to_contain_text("for “AI-102”")
    expect(box).to_have_value("AI-102")
    page.get_by_role("link", name="Microsoft Certified: Azure AI Engineer Associate").click()
    expect(page).to_have_url(base + "/certifications/azure-ai-engineer-associate/")
    # The Search button works too.
    page.get_by_role("searchbox").fill("kubern")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(base + "/search/?q=kubern")
    expect(page.get_by_role("link", name="Kubernetes", exact=True)).to_be_visible()


def test_on_the_search_page_results_change_as_one_types(new_page, live_catalogue):
    base = live_catalogue.url
    page = new_page()
    page.goto(base + "/")
    box = page.locator("#site-search")
    box.fill("rag")
    box.press("Enter")  # from another page: the results page
    expect(page).to_have_url(base + "/search/?q=rag")
    expect(page.locator("#results")).to_contain_text("Retrieval-augmented generation (RAG)")
    # From here on, no page load: a marker on the window survives each update.
    page.evaluate("window.stillHere = true")
    box.fill("kubern")
    expect(page.locator("#results")).to_contain_text("Kubernetes")
    expect(page.locator("#results")).not_to_contain_text("Retrieval-augmented generation")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"\d+ match(es)? for “kubern”"))
    expect(page).to_have_url(base + "/search/?q=kubern")  # the address follows, replaced
    box.press_sequentially("zz", delay=50)
    expect(page.locator("#results")).to_contain_text("Nothing in the catalogue matches")
    expect(page.locator("#search-status")).to_have_text("No match for “kubernzz”.")
    box.fill("")  # cleared: the page with no results and no error
    expect(page.locator("#results")).to_contain_text("Type a word or the start of one")
    assert page.evaluate("window.stillHere") is True
    # The box refuses a 101st character, so the refusal is for hand-made addresses only.
    box.fill("x" * 150)
    assert len(box.input_value()) == 100


def test_axe_finds_nothing_on_the_search_page(new_page, live_catalogue, axe_path):  # noqa: F811
    base = live_catalogue.url
    page = new_page(bypass_csp=True)  # axe is injected as a script
    found = {}
    for query in ["", "engineer", "AI-102", "zzzqqq", "a" * 101]:
        page.goto(f"{base}/search/?q={query}")
        found[query or "(empty)"] = axe_violations(page, axe_path)
    # And after htmx replaced the results.
    page.goto(base + "/search/?q=rag")
    page.locator("#site-search").fill("certified")
    expect(page.locator("#search-status")).to_contain_text("for “certified”")
    found["after typing"] = axe_violations(page, axe_path)
    assert {query: v for query, v in found.items() if v} == {}


@pytest.mark.parametrize("signed_in", [False, True])
def test_at_375_px_the_header_with_the_search_box_does_not_scroll_sideways(
    new_page, live_catalogue, signed_in
):
    base = live_catalogue.url
    page = new_page(viewport={"width": 375, "height": 812})
    if signed_in:
        make_learner("narrow")
        browser_sign_in(page, base, "narrow")
    for url in ["/", "/search/?q=engineer", "/search/?q=" + "w" * 100, "/skills/rag/"]:
        page.goto(base + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width} px wide"
        header = page.locator(".site-header").bounding_box()
        assert header["width"] <= 375
        for control in (page.locator("#site-search"), page.locator(".site-search button")):
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, url
            assert box["height"] >= 44, url
        assert page.locator("#site-search").bounding_box()["width"] >= 150  # room to type
