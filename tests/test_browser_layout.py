"""Small things people saw on the page, checked in Chromium (issue 11, item 15)."""

import pytest
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_out_looks_like_the_links_beside_it_and_checkboxes_sit_by_their_words(
    new_page, live_catalogue
):
    make_learner("layout")
    page = new_page(viewport={"width": 375, "height": 900})
    browser_sign_in(page, live_catalogue.url, "layout")
    page.goto(live_catalogue.url + "/accounts/profile/")

    def underline(locator):
        return locator.evaluate("el => getComputedStyle(el).textDecorationLine")

    nav = page.get_by_role("navigation", name="Main")
    assert underline(nav.get_by_role("button", name="Sign out")) == underline(
        nav.get_by_role("link", name="Profile")
    )

    checkbox = page.get_by_label("Show my notes and evidence links")
    expect(checkbox).to_be_visible()
    box = checkbox.bounding_box()
    words = page.locator("label", has=checkbox).bounding_box()
    # The checkbox starts its label's line and the words follow right after it.
    assert abs(box["x"] - words["x"]) < 2
    assert words["width"] < 340
    assert (
        box["y"] >= words["y"] - 1 and box["y"] + box["height"] <= words["y"] + words["height"] + 1
    )
