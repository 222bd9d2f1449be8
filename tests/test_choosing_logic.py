"""The pure rules of roadmap/choosing.py: the best next certification, and what a plan's
exam fees add up to (no database)."""

from decimal import Decimal

from roadmap.choosing import Fee, exam_fee, next_certification, plan_cost
from roadmap.path import CertInfo

REMAINING = ["python", "sql", "docker", "rag", "evals"]  # path order
RECOMMENDED = frozenset({"evals"})


def cert(slug, skills=(), **kwargs):
    return CertInfo(slug, retired=kwargs.pop("retired", False), skills=frozenset(skills), **kwargs)


def test_it_picks_the_certification_covering_the_most_remaining_core_skills():
    certs = [cert("small", {"python"}), cert("wide", {"python", "sql", "docker"})]
    pick = next_certification(certs, REMAINING, RECOMMENDED, target="engineer")
    assert pick.slug == "wide"
    assert pick.core_covered == ("python", "sql", "docker")  # in path order
    assert pick.core_remaining == 4  # evals is recommended, not core


def test_it_never_picks_a_retired_certification_however_much_it_covers():
    certs = [
        cert("old", {"python", "sql", "docker", "rag"}, retired=True, roles={"engineer"}),
        cert("new", {"rag"}),
    ]
    assert next_certification(certs, REMAINING, RECOMMENDED, target="engineer").slug == "new"


def test_it_picks_nothing_when_only_retired_or_useless_certifications_are_left():
    certs = [cert("old", {"python"}, retired=True), cert("other", {"kotlin"})]
    assert next_certification(certs, REMAINING, RECOMMENDED, target="engineer") is None


def test_it_never_picks_a_category_or_one_already_earned():
    certs = [
        cert("kind", {"python", "sql", "docker"}, category=True),
        cert("done", {"python", "sql"}),
        cert("left", {"rag"}),
    ]
    pick = next_certification(certs, REMAINING, RECOMMENDED, target="x", earned={"done"})
    assert pick.slug == "left"


def test_core_skills_outweigh_recommended_ones():
    certs = [cert("extras", {"evals"}), cert("core", {"rag"})]
    pick = next_certification(certs, REMAINING, RECOMMENDED)
    assert pick.slug == "core"
    assert pick.other_covered == ()


def test_between_equal_coverage_the_one_listed_for_the_target_wins():
    certs = [cert("a-generic", {"rag"}), cert("b-listed", {"docker"}, roles={"engineer"})]
    pick = next_certification(certs, REMAINING, RECOMMENDED, target="engineer")
    assert pick.slug == "b-listed"
    assert pick.fits_target


def test_a_retiring_certification_comes_after_an_active_one_that_covers_less():
    certs = [cert("going", {"python", "sql"}, retiring=True), cert("staying", {"rag"})]
    pick = next_certification(certs, REMAINING, RECOMMENDED)
    assert pick.slug == "staying"
    assert not pick.retiring


def test_a_retiring_certification_is_picked_when_nothing_else_covers_a_remaining_skill():
    pick = next_certification([cert("going", {"rag"}, retiring=True)], REMAINING, RECOMMENDED)
    assert pick.slug == "going" and pick.retiring


def test_a_certification_listed_for_the_target_counts_even_when_nothing_is_left():
    pick = next_certification([cert("listed", {"python"}, roles={"lead"})], [], target="lead")
    assert pick.slug == "listed"
    assert pick.core_covered == () and pick.core_remaining == 0 and pick.fits_target


def test_ties_are_broken_by_slug_so_the_choice_is_stable():
    certs = [cert("zeta", {"rag"}), cert("alpha", {"docker"})]
    assert next_certification(certs, REMAINING, RECOMMENDED).slug == "alpha"
    assert next_certification(certs[::-1], REMAINING, RECOMMENDED).slug == "alpha"


def test_the_fee_is_in_the_first_figures_currency_and_spans_its_figures():
    figures = [("USD", Decimal(649), None), ("JPY", Decimal(44000), None), ("USD", 799, None)]
    assert exam_fee(figures) == Fee("USD", Decimal(649), Decimal(799))


def test_a_range_figure_counts_to_its_top():
    assert exam_fee([("CAD", Decimal(35), Decimal("91.35"))]) == Fee(
        "CAD", Decimal(35), Decimal("91.35")
    )


def test_no_figure_no_fee():
    assert exam_fee([]) is None
    assert exam_fee([("", None, None)]) is None


def test_fee_labels():
    assert Fee("USD", Decimal("465.00"), Decimal("465.00")).label == "USD 465"
    assert Fee("USD", Decimal(1200), Decimal(1350)).label == "USD 1,200–1,350"
    assert Fee("CAD", Decimal("35"), Decimal("91.35")).label == "CAD 35–91.35"


def test_a_plans_cost_adds_fees_per_currency_and_counts_the_unsourced_apart():
    usd = Decimal
    cost = plan_cost(
        [
            ("a", Fee("USD", usd(165), usd(165))),
            ("b", Fee("USD", usd(300), usd(300))),
            ("c", None),
            ("d", Fee("JPY", usd(44000), usd(44000))),
        ]
    )
    assert cost.totals == (
        Fee("JPY", usd(44000), usd(44000)),
        Fee("USD", usd(465), usd(465)),
    )
    assert [t.label for t in cost.totals] == ["JPY 44,000", "USD 465"]
    assert cost.sourced == 3
    assert cost.unsourced == ("c",)
    assert not cost.differing


def test_a_plans_cost_is_a_range_when_sources_give_different_fees():
    cost = plan_cost([("a", Fee("USD", Decimal(649), Decimal(799))), ("b", None)])
    assert cost.totals[0].label == "USD 649–799"
    assert cost.differing


def test_an_empty_plan_costs_nothing_known():
    cost = plan_cost([])
    assert cost.totals == () and cost.sourced == 0 and cost.unsourced == ()
