"""Certifications side by side in Chromium: htmx adds and removes columns in place, the
same page works without JavaScript, axe-core finds nothing, and a phone gets one card per
certification with nothing scrolling sideways (issue 21, item 1)."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner, phone_problems
from .test_browser_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

AXE_PAGES = [
    "/certifications/compare/",
    "/certifications/compare/?c=cka",
    "/certifications/compare/?c=aws-ml-specialty&c=iapp-aigp&c=cka",
    "/certifications/compare/?c=cka&c=ckad&c=iapp-aigp&c=aws-ml-specialty&c=aws-ai-practitioner",
    "/certifications/compare/?c=cka&c=no-such-certification",
]


def cards(page):
    return page.locator("#comparison .compare-card")


def box(page, name):
    """The checkbox that puts a certification in the comparison."""
    return page.get_by_role("checkbox", name=name)


def names(page):
    return [re.sub(r"\s+", " ", n).strip() for n in cards(page).locator("h3").all_inner_texts()]


def test_with_htmx_columns_come_and_go_in_place_and_back_restores_them(new_page, live_catalogue):
    base = live_catalogue.url
    page = new_page()
    page.goto(base + "/certifications/compare/")
    page.evaluate("window.stillTheSamePage = true")
    box(page, "Certified Kubernetes Administrator (CKA)").check()
    expect(page.locator("#comparison")).to_contain_text("Choose at least one more certification")
    box(page, "Certified Kubernetes Application Developer (CKAD)").check()
    expect(cards(page)).to_have_count(2)
    expect(page).to_have_url(base + "/certifications/compare/?c=cka&c=ckad")
    box(page, "IAPP Artificial Intelligence Governance Professional").check()
    expect(cards(page)).to_have_count(3)
    expect(page).to_have_url(base + "/certifications/compare/?c=iapp-aigp&c=cka&c=ckad")
    # Keyboard focus stays on the checkbox the swap replaced.
    expect(box(page, "IAPP Artificial Intelligence Governance Professional")).to_be_focused()

    page.locator("#compare-ckad").get_by_role("link", name=re.compile("^Remove")).click()
    expect(cards(page)).to_have_count(2)
    expect(page).to_have_url(base + "/certifications/compare/?c=iapp-aigp&c=cka")
    # The checkboxes match the comparison, and focus is on its heading, not lost.
    expect(box(page, "Certified Kubernetes Application Developer (CKAD)")).not_to_be_checked()
    expect(box(page, "Certified Kubernetes Administrator (CKA)")).to_be_checked()
    expect(page.locator("#comparison-heading")).to_be_focused()
    expect(page.locator("#status-announcer")).to_contain_text("Comparing IAPP")
    assert page.evaluate("window.stillTheSamePage") is True  # never a full page load

    page.go_back()
    expect(cards(page)).to_have_count(3)
    expect(box(page, "Certified Kubernetes Application Developer (CKAD)")).to_be_checked()

    # A sixth is refused with a message in place; unticking one brings the comparison back.
    page.goto(base + AXE_PAGES[3])
    expect(cards(page)).to_have_count(5)
    box(page, "AWS Certified Machine Learning Engineer – Associate").check()
    expect(page.locator("#comparison .errors")).to_have_text(
        "Choose at most 5 certifications to compare: you chose 6. Untick some and compare again."
    )
    expect(cards(page)).to_have_count(0)
    box(page, "AWS Certified AI Practitioner").uncheck()
    expect(cards(page)).to_have_count(5)
    expect(page.locator("#comparison .errors")).to_have_count(0)


def test_without_javascript_the_list_and_the_form_compare_and_remove(new_page, live_catalogue):
    base = live_catalogue.url
    page = new_page(java_script_enabled=False)
    page.goto(base + "/certifications/")
    box(page, "Compare Certified Kubernetes Administrator (CKA)").check()
    box(page, "Compare IAPP Artificial Intelligence Governance Professional").check()
    page.get_by_role("button", name="Compare the ticked certifications").first.click()
    expect(page).to_have_url(re.compile(r"/certifications/compare/\?c=[-\w]+&c=[-\w]+$"))
    expect(cards(page)).to_have_count(2)
    assert sorted(names(page)) == [
        "Certified Kubernetes Administrator (CKA)",
        "IAPP Artificial Intelligence Governance Professional",
    ]

    box(page, "AWS Certified Machine Learning – Specialty").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(cards(page)).to_have_count(3)
    retired = page.locator("#compare-aws-ml-specialty")
    expect(retired).to_contain_text("Retired on 31 Mar 2026: it can no longer be earned")
    expect(retired.locator(".compare-head .badge-retired")).to_have_text("Retired")

    retired.get_by_role("link", name=re.compile("^Remove")).click()
    expect(cards(page)).to_have_count(2)
    expect(box(page, "AWS Certified Machine Learning – Specialty")).not_to_be_checked()

    # A bad address: a message and the form, never an error page.
    page.goto(base + "/certifications/compare/?c=cka&c=nope")
    expect(page.locator("#comparison .errors")).to_have_text(
        "There is no certification called “nope”: choose from the list."
    )
    expect(page.get_by_role("button", name="Compare", exact=True)).to_be_visible()


def test_on_a_wide_screen_the_rows_line_up_across_the_cards(new_page, live_catalogue):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_catalogue.url + AXE_PAGES[2])
    expect(cards(page)).to_have_count(3)
    boxes = [card.bounding_box() for card in cards(page).all()]
    assert len({round(b["y"]) for b in boxes}) == 1  # side by side
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    for label in ("Exam cost", "Status and retirement", "Your remaining skills"):
        tops = {
            round(dt.bounding_box()["y"])
            for dt in page.locator("#comparison dt", has_text=re.compile(f"^{label}$")).all()
        }
        assert len(tops) == 1, f"{label} is not on one line across the cards: {tops}"


def test_axe_finds_nothing_on_the_comparison(new_page, live_catalogue, axe_path):
    base = live_catalogue.url
    page = new_page(bypass_csp=True)
    found = {}
    for url in AXE_PAGES:
        page.goto(base + url)
        found[url] = axe_violations(page, axe_path)
    make_learner("comparer")
    browser_sign_in(page, base, "comparer")
    page.goto(base + AXE_PAGES[3])
    found["signed in"] = axe_violations(page, axe_path)
    # After htmx has swapped a column out.
    page.locator("#compare-cka").get_by_role("link", name=re.compile("^Remove")).click()
    expect(cards(page)).to_have_count(4)
    found["after a removal"] = axe_violations(page, axe_path)
    assert {url: v for url, v in found.items() if v} == {}


def test_on_a_phone_each_certification_is_a_card_and_nothing_scrolls_sideways(
    new_page, live_catalogue
):
    base = live_catalogue.url
    page = new_page(viewport={"width": 375, "height": 812})
    make_learner("phone")
    browser_sign_in(page, base, "phone")
    for url in [*AXE_PAGES, "/certifications/"]:
        page.goto(base + url)
        assert phone_problems(page, url) == []
    page.goto(base + AXE_PAGES[3])
    boxes = [card.bounding_box() for card in cards(page).all()]
    assert len(boxes) == 5
    # One under another, each as wide as the page allows.
    assert all(b["width"] > 300 for b in boxes)
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
    assert len({round(b["x"]) for b in boxes}) == 1


@pytest.fixture
def axe_path():
    from .test_browser_accessibility import AXE

    assert AXE.exists(), "axe-core missing: run npm ci"
    return str(AXE)
