"""The rules of a self-check (roadmap/checks.py), on plain data."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from roadmap import checks

NOW = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)


@dataclass
class Q:
    kind: str = "single"
    correct_indexes: set = field(default_factory=lambda: {2})
    answer: object = None
    tolerance: object = 0


def test_a_draw_is_five_different_questions_of_the_pool_in_random_order():
    pool = list(range(100, 110))
    draws = [checks.draw(pool, random.Random(seed)) for seed in range(50)]
    for drawn in draws:
        assert len(drawn) == 5 == len(set(drawn))
        assert set(drawn) <= set(pool)
    assert len({tuple(d) for d in draws}) > 40  # not the same five every time
    assert {q for d in draws for q in d} == set(pool)  # every question gets drawn


def test_a_small_pool_is_drawn_whole():
    assert sorted(checks.draw([1, 2, 3], random.Random(1))) == [1, 2, 3]


def test_options_are_shown_in_a_random_order_that_keeps_every_option():
    orders = {tuple(checks.shuffled(4, random.Random(seed))) for seed in range(40)}
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert len(orders) > 10


@pytest.mark.parametrize(
    ("right", "asked", "passes"),
    [
        (5, 5, True),
        (4, 5, True),
        (3, 5, False),
        (0, 5, False),
        (3, 4, False),
        (4, 4, True),
        (0, 0, False),
    ],
)
def test_four_of_five_passes(right, asked, passes):
    assert checks.passes(right, asked) is passes


def test_the_next_attempt_opens_twenty_minutes_after_the_last_one_started():
    assert checks.next_attempt_at(None) is None
    assert checks.next_attempt_at(NOW) == NOW + datetime.timedelta(minutes=20)
    # So no more than three an hour.
    assert 60 // (checks.COOL_OFF.total_seconds() / 60) == 3


def test_a_check_is_due_again_after_a_year_only_for_a_fast_moving_skill():
    year_ago = NOW - datetime.timedelta(days=366)
    assert checks.recheck_due(year_ago, True, NOW)
    assert not checks.recheck_due(year_ago, False, NOW)
    assert not checks.recheck_due(NOW - datetime.timedelta(days=300), True, NOW)
    assert not checks.recheck_due(None, True, NOW)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", Decimal(42)),
        (" 0.25 ", Decimal("0.25")),
        ("1,000", Decimal(1000)),
        ("\u22123", Decimal(-3)),
        ("-3", Decimal(-3)),
    ],
)
def test_numbers_are_read_as_people_type_them(text, value):
    assert checks.parse_number(text) == (value, None)


@pytest.mark.parametrize("text", ["", "  ", "abc", "1e", "NaN", "Infinity", "9" * 31])
def test_what_is_not_a_number_is_refused_with_a_message(text):
    value, problem = checks.parse_number(text)
    assert value is None and problem


def test_choices_must_be_among_the_options_shown():
    assert checks.parse_choice(["2"], 4, single=True) == ([2], None)
    assert checks.parse_choice(["3", "0"], 4, single=False) == ([0, 3], None)
    for values, single in ((["4"], True), (["-1"], True), (["x"], False), (["1", "2"], True)):
        assert checks.parse_choice(values, 4, single)[0] is None
    assert checks.parse_choice([], 4, True) == (None, "Choose an option.")
    assert checks.parse_choice([], 4, False) == (None, "Choose at least one option.")


def test_a_choice_is_scored_through_the_order_the_options_were_shown_in():
    question = Q(correct_indexes={2})
    order = [2, 0, 3, 1]  # option 2 was shown first
    assert checks.is_right(question, order, [0])
    assert not checks.is_right(question, order, [2])
    assert not checks.is_right(question, order, None)


def test_several_right_options_need_all_of_them_and_nothing_else():
    question = Q(kind="multiple", correct_indexes={0, 3})
    order = [0, 1, 2, 3]
    assert checks.is_right(question, order, [0, 3])
    assert not checks.is_right(question, order, [0])
    assert not checks.is_right(question, order, [0, 1, 3])


def test_a_number_is_right_within_its_tolerance():
    question = Q(kind="number", answer=Decimal("0.25"), tolerance=Decimal("0.01"))
    assert checks.is_right(question, [], "0.25")
    assert checks.is_right(question, [], "0.26")
    assert not checks.is_right(question, [], "0.27")
    assert not checks.is_right(question, [], "a quarter")
    assert checks.is_right(Q(kind="number", answer=Decimal(12)), [], "12")
    assert not checks.is_right(Q(kind="number", answer=Decimal(12)), [], "12.5")


def test_scoring_skips_a_question_deleted_since_the_draw_and_counts_unanswered_as_wrong():
    drawn = [{"id": 1, "order": [0, 1, 2]}, {"id": 2, "order": [1, 0, 2]}, {"id": 3, "order": []}]
    questions = {1: Q(correct_indexes={1}), 3: Q(kind="number", answer=Decimal(7))}
    results = checks.score(drawn, {"0": [1], "2": None}, questions)
    assert [(r.place, r.right) for r in results] == [(0, True), (2, False)]
