"""Pay you can compare: one series up the ladder per region, in its own currency and period,
a picture with words for every bar, warnings where sources mix, and a region choice that a
signed-in user keeps (issue 19, item 5)."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from roadmap import pay
from roadmap.models import Claim, PayRegion, Role, Source

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def pay_section(html):
    start = html.index('id="pay"') if 'id="pay"' in html else html.index('id="salaries"')
    return html[start : html.index("</section>", start)]


def words(html):
    """What a screen reader reads: the text, without the bars (hidden from it)."""
    html = re.sub(r"<svg[^>]*aria-hidden=\"true\".*?</svg>", "", html, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return unescape(re.sub(r" ([:;,.)])", r"\1", text))


def catalogue_charts(region, highlight=None):
    roles = list(Role.objects.all())
    salaries = {}
    for claim in Claim.objects.salaries():
        salaries.setdefault(claim.role_id, []).append(claim)
    return pay.charts(roles, salaries, region, highlight)


# ------------------------------------------------------------------ every figure labelled


def test_every_pay_figure_shows_its_region_year_and_proxy_status_on_its_role_page(client):
    for claim in Claim.objects.salaries().select_related("role"):
        html = page(client, f"{claim.role.get_absolute_url()}?region={claim.country}")
        mine = pay_section(html)
        mine = mine[: mine.index("Up the ladder in")]
        start = mine.index(claim.figure_label)
        box = mine[start : mine.index("</div>", start)]
        assert claim.region in box, claim.slug
        when = claim.when_label or "the source does not say when the data is from"
        assert when in box, claim.slug
        if claim.is_old_data:
            assert f"data for {claim.when_label}, before 2025" in box, claim.slug
        if claim.is_proxy:
            assert "Not this role's own pay:</strong> the figure for the closest" in box
            assert f"“{claim.occupation}”" in box, claim.slug
        assert escape(claim.source.tier_label) in box, claim.slug


def test_every_row_of_the_picture_says_its_figure_year_proxy_status_and_source(client):
    for region in PayRegion:
        for chart in catalogue_charts(region):
            for row in chart.filled:
                claim = row.first
                html = page(client, f"{row.role.get_absolute_url()}?region={region}")
                picture = words(html[html.index("Up the ladder in") :])
                assert claim.figure_label in picture, claim.slug
                assert (claim.when_label or "does not say when") in picture, claim.slug
                if claim.is_proxy:
                    proxy = "Not this role's own pay: the closest official occupation,"
                    assert f"{proxy} “{claim.occupation}”" in picture


# ------------------------------------------------------------------ one series, newest first


@pytest.mark.parametrize("region", list(PayRegion))
def test_a_region_s_series_uses_one_source_family_for_every_rung_newest_first(region):
    charts = catalogue_charts(region)
    assert charts, region
    for chart in charts:
        claims = [c for row in chart.filled for c in row.claims + row.older]
        assert {(c.series, c.region, c.unit, c.pay_period) for c in claims} == {
            (chart.series, chart.region, chart.unit, chart.pay_period)
        }
        for row in chart.filled:
            years = [row.first.data_year or 0] + [c.data_year or 0 for c in row.older]
            assert years == sorted(years, reverse=True), row.role.slug


def test_the_us_series_rises_up_the_ladder_and_holds_no_one_off_survey():
    (bls, *_) = catalogue_charts(PayRegion.US)
    assert bls.series == "BLS OEWS"
    medians = [row.point.amount for row in bls.ladder]
    assert medians == sorted(medians)
    assert [row.point.data_year for row in bls.ladder] == [2024] * 5
    sources = {c.source.slug for row in bls.filled for c in row.claims}
    assert "vnexpress-ai-engineer-pay-2024" not in sources and "guide" not in sources


def test_a_rung_without_a_figure_in_the_series_says_so(client):
    html = page(client, "/?region=GB")
    row = words(html[html.index('href="/roles/senior-ai-engineer/"') :])[:120]
    assert "no figure in this series" in row


# ------------------------------------------------------------------ warnings


def test_figures_of_different_sources_side_by_side_carry_a_warning(client):
    html = page(client, reverse("roadmap:role", args=["head-of-ai"]) + "?region=CA")
    mine = pay_section(html)
    assert mine.count("Not comparable as they stand:") == 1
    assert "2 separate pictures, not comparable with each other" in mine


def test_figures_of_one_series_only_carry_no_warning(client):
    html = page(client, reverse("roadmap:role", args=["data-analyst"]) + "?region=DE")
    assert "Not comparable as they stand" not in pay_section(html)
    assert "separate pictures" not in pay_section(html)


def test_now_and_target_from_different_sources_are_flagged_on_my_path(
    alice_client, junior_to_senior
):
    html = page(alice_client, reverse("roadmap:path"))
    salaries = pay_section(html)
    assert "Not comparable as they stand:" in salaries
    assert "the figures for now and for your target come from different sources" in salaries
    assert "Up the ladder in United States" in salaries
    assert 'Junior AI Engineer</a> <strong class="pay-mark">(you now)</strong>' in salaries
    assert 'Senior AI Engineer</a> <strong class="pay-mark">(your target)</strong>' in salaries


# ------------------------------------------------------------------ the picture


def test_the_picture_is_drawn_on_the_server_with_words_for_every_bar(client):
    html = page(client, reverse("roadmap:role", args=["ai-engineer"]))
    picture = html[html.index("Up the ladder in") :]
    picture = picture[: picture.index("</section>")]
    bars = re.findall(r"<svg[^>]*>", picture)
    assert bars and all('aria-hidden="true"' in bar for bar in bars)
    assert "<script" not in picture and "style=" not in picture
    assert "<figcaption" in picture
    text = words(picture)
    assert "on one axis from USD 0 to USD 200,000" in text
    assert "AI Engineer (this role): median USD 133,080 a year" in text
    assert "Sources: " in text and "U.S. Bureau of Labor Statistics" in text


def test_the_bars_share_one_axis():
    (bls, *_) = catalogue_charts(PayRegion.US)
    assert bls.axis_max == 200000
    head = bls.ladder[-1]
    assert head.x == pytest.approx(171200 / 200000 * 1000, abs=0.1)


def test_an_axis_ends_on_a_round_number_past_the_top():
    assert pay.nice_axis(171200) == (Decimal(200000), Decimal(50000))
    assert pay.nice_axis(Decimal("103.37")) == (Decimal(120), Decimal(30))
    assert pay.nice_axis(6097)[0] == 8000


# ------------------------------------------------------------------ outside the US


@pytest.mark.parametrize("region", [PayRegion.GB, PayRegion.CA, PayRegion.DE])
def test_the_uk_canada_and_germany_have_figures_for_at_least_five_roles(region):
    roles = set(Claim.objects.salaries().filter(country=region).values_list("role", flat=True))
    assert len(roles) >= 5


@pytest.mark.parametrize(
    ("region", "slug", "shown", "foreign"),
    [
        ("GB", "ai-engineer", "median GBP 55,587 a year", "USD"),
        ("CA", "ai-engineer", "median CAD 56.49 an hour", "USD"),
        ("CA", "ai-engineer", "CAD 35.00–91.35 an hour (range)", "EUR"),
        ("DE", "ml-engineer", "median EUR 6,097 a month", "USD"),
    ],
)
def test_figures_outside_the_us_keep_their_currency_and_period(
    client, region, slug, shown, foreign
):
    html = page(client, reverse("roadmap:role", args=[slug]) + f"?region={region}")
    mine = pay_section(html)
    assert shown in mine
    assert foreign not in mine  # nothing converted
    assert "(the source's own currency and period, not converted)" in mine


def test_an_hourly_and_a_yearly_series_get_separate_axes():
    charts = catalogue_charts(PayRegion.CA)
    assert {(c.series, c.pay_period) for c in charts} == {
        ("Job Bank", "hour"),
        ("WorkBC", "year"),
    }
    assert {c.ticks[-1] for c in charts} == {"CAD 120", "CAD 160,000"}


def test_a_pay_figure_needs_its_country_and_period():
    claim = Claim(
        role=Role.objects.get(slug="ai-engineer"),
        attribute=Claim.Attribute.SALARY,
        figure_kind=Claim.FigureKind.MEDIAN,
        amount=1,
        unit="EUR",
        source=Source.objects.get(slug="guide"),
        slug="x",
    )
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert {"country", "pay_period"} <= set(error.value.message_dict)


# ------------------------------------------------------------------ the region choice


def test_an_anonymous_visitor_chooses_a_region_in_the_address(client):
    html = page(client, "/?region=de")
    assert "Pay up the ladder in Germany" in html
    form = html[html.index('<form class="pay-region"') :]
    form = form[: form.index("</form>")]
    assert 'method="get"' in form and 'name="region"' in form and "<button" in form
    assert '<option value="DE" selected>' in form
    assert "Pay up the ladder in United States" in page(client, "/?region=XX")


def test_a_signed_in_user_s_region_is_kept_without_javascript(alice_client, alice):
    html = page(alice_client, "/")
    form = html[html.index('<form class="pay-region"') :]
    form = form[: form.index("</form>")]
    assert 'method="post"' in form and 'action="/accounts/pay-region/"' in form
    assert "csrfmiddlewaretoken" in form
    response = alice_client.post(reverse("accounts:pay_region"), {"region": "GB", "next": "/#pay"})
    assert response.status_code == 302 and response["Location"] == "/#pay"
    alice.refresh_from_db()
    assert alice.pay_region == "GB"
    assert "Pay up the ladder in United Kingdom" in page(alice_client, "/")
    html = page(alice_client, reverse("roadmap:role", args=["head-of-ai"]))
    assert "Head of AI in United Kingdom" in html
    # The address still wins for one look, without changing what is kept.
    assert "Pay up the ladder in Canada" in page(alice_client, "/?region=CA")
    alice.refresh_from_db()
    assert alice.pay_region == "GB"


def test_my_path_shows_pay_in_the_kept_region(alice_client, alice, junior_to_senior):
    alice_client.post(reverse("accounts:pay_region"), {"region": "DE", "next": "/path/"})
    salaries = pay_section(page(alice_client, reverse("roadmap:path")))
    assert "Up the ladder in Germany" in salaries
    assert "median EUR 5,907 a month" in salaries
    assert "USD" not in salaries


def test_the_region_switcher_refuses_an_unknown_region_and_a_foreign_next(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:pay_region"), {"region": "FR", "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == reverse("roadmap:path")
    alice.refresh_from_db()
    assert alice.pay_region == ""


def test_the_profile_keeps_the_region_too(alice_client, alice, junior_to_senior):
    response = alice_client.post(
        reverse("accounts:profile"),
        {
            "current_role": alice.current_role_id,
            "target_role": alice.target_role_id,
            "pay_region": "CA",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.pay_region == "CA"
