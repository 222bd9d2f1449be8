"""The certification filter after Back, in Chromium (issue 11, item 6)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_shows_the_filters_that_match_the_list(new_page, live_catalogue):
    from roadmap.models import Certification

    aws = f"{Certification.objects.filter(provider='AWS').count()} certifications"
    base = live_catalogue.url
    page = new_page()
    page.goto(base + "/certifications/")
    page.get_by_label("Provider").select_option("AWS")
    expect(page).to_have_url(base + "/certifications/?provider=AWS&level=&status=")
    expect(page.locator("#results .count")).to_have_text(aws)
    page.get_by_label("Level").select_option("professional")
    expect(page.locator("#results .count")).to_have_text("1 certification")

    page.go_back()  # htmx's history: the AWS-only list
    expect(page.locator("#results .count")).to_have_text(aws)
    expect(page.get_by_label("Provider")).to_have_value("AWS")
    expect(page.get_by_label("Level")).to_have_value("")

    page.locator("#results h2 a").first.click()
    expect(page).to_have_url(re.compile(r"/certifications/[-a-z0-9]+/$"))
    page.go_back()  # from a certification's page
    expect(page.locator("#results .count")).to_have_text(aws)
    expect(page.get_by_label("Provider")).to_have_value("AWS")
