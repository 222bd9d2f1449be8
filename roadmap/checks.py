"""The rules of a self-check, as pure functions: how many questions are drawn, what passes,
when the next attempt opens, when a check is due again, and whether an answer is right.

No database and no request here: plain data in, plain data out (tests/test_checks_logic.py).
The models (roadmap/models/checks.py) and the views (roadmap/views/checks.py) call these.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

QUESTIONS_PER_ATTEMPT = 5
PASS_MARK = 4  # right answers out of QUESTIONS_PER_ATTEMPT
MIN_POOL = 8  # questions a skill needs (manage.py check_catalogue)
ATTEMPT_TIME = datetime.timedelta(minutes=30)
# One attempt per skill every 20 minutes: at most three an hour, time to read in between.
COOL_OFF = datetime.timedelta(minutes=20)
RECHECK_AFTER = datetime.timedelta(days=365)
MAX_NUMBER_LENGTH = 30


def draw(pool, rng):
    """QUESTIONS_PER_ATTEMPT of the pool's ids in random order (all of them if fewer)."""
    return rng.sample(list(pool), min(QUESTIONS_PER_ATTEMPT, len(pool)))


def shuffled(count, rng):
    """A random order for a question's options: the option shown first, second, ..."""
    order = list(range(count))
    rng.shuffle(order)
    return order


def passes(right, asked):
    """Pass: PASS_MARK of QUESTIONS_PER_ATTEMPT right, or the same share of a smaller draw."""
    return asked > 0 and right * QUESTIONS_PER_ATTEMPT >= PASS_MARK * asked


def next_attempt_at(last_started_at):
    """When the next attempt at a skill may start (None: now)."""
    return None if last_started_at is None else last_started_at + COOL_OFF


def recheck_due(passed_at, fast_moving, now):
    """Whether a fast-moving skill's check is old enough to take again. Done stays done."""
    return bool(fast_moving and passed_at is not None and now - passed_at > RECHECK_AFTER)


def parse_number(text):
    """(Decimal, None), or (None, what is wrong): "0.25", "1,000", " -3 " are numbers."""
    text = (text or "").strip().replace(",", "").replace("\u2212", "-")
    if not text:
        return None, "Type a number."
    if len(text) > MAX_NUMBER_LENGTH:
        return None, f"Type a number of at most {MAX_NUMBER_LENGTH} characters."
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, "Type a number, such as 42 or 0.25."
    if not value.is_finite():
        return None, "Type a number, such as 42 or 0.25."
    return value, None


def parse_choice(values, shown, single):
    """(sorted positions, None), or (None, what is wrong): the positions (0-based, as shown)
    a person picked among `shown` options."""
    positions = set()
    for value in values[: shown + 1]:
        if not (isinstance(value, str) and value.isdigit() and int(value) < shown):
            return None, "Choose one of the options shown."
        positions.add(int(value))
    if not positions:
        return None, "Choose an option." if single else "Choose at least one option."
    if single and len(positions) > 1:
        return None, "Choose one option."
    return sorted(positions), None


@dataclass(frozen=True)
class Result:
    place: int  # 0-based, in the attempt
    question: object  # None when the question was deleted since the draw
    given: object  # positions or the number as typed; None if unanswered
    right: bool


def is_right(question, order, given):
    """Whether `given` (positions as shown, or a number as typed) answers `question`."""
    if given is None:
        return False
    if question.kind == "number":
        value, problem = parse_number(given)
        if problem or question.answer is None:
            return False
        return abs(value - Decimal(question.answer)) <= Decimal(question.tolerance or 0)
    chosen = {order[p] for p in given if 0 <= p < len(order)}
    return chosen == question.correct_indexes


def score(drawn, answers, questions):
    """A Result per drawn question that still exists. `drawn` is the attempt's
    [{"id", "order"}], `answers` {"place": given}, `questions` {id: question}."""
    results = []
    for place, item in enumerate(drawn):
        question = questions.get(item["id"])
        if question is None:
            continue  # removed from the catalogue since: it counts neither way
        given = answers.get(str(place))
        results.append(Result(place, question, given, is_right(question, item["order"], given)))
    return results
