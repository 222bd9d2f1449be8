"""Keeping a held certification current: when it expires and when its renewal opens,
counted from the day it was earned by the rules its sources state, never guessed.

In two halves, like accounts/coverage.py: `renewal_for` is pure (a plan and its
certification's claims in, a `Renewal` out; tests/test_renewals.py), and `read_renewals`
reads what it needs in one query. `note_open_windows` is the write run each day (by
`manage.py note_renewals` and `send_digests`): one notice per plan when its window opens.

A validity counts only from a claim's structured value (1 year, 24 months); when a renewal
opens, only from a renewal claim's `opens_before` (set in the fixtures where the source's
words say it: "from six months before expiry"). Where no claim gives it, or the sources
disagree, no date is computed and the page says why.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .facts import TIER_ORDER, replacements
from .models import CertificationProgress, Claim, Notice

NO_VALIDITY = "No sourced rule says how long it is valid, so no expiry date is shown."
NO_WINDOW = "No sourced rule says when renewal opens."


def add_months(day, months):
    """The same day `months` later (or earlier, if negative), the month's last day where it
    is shorter: 29 Feb 2028 + 12 months is 28 Feb 2029."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def months_valid(claim):
    """A validity claim's length in whole months, from its structured value; else None."""
    amount = claim.amount
    if amount is None or (claim.amount_high is not None and claim.amount_high != amount):
        return None
    amount = Decimal(str(amount))
    if amount != amount.to_integral() or amount <= 0:
        return None
    per = {"year": 12, "years": 12, "month": 1, "months": 1}.get(claim.unit)
    return int(amount) * per if per else None


def opens_before(claim):
    """(number, "days" or "months") a renewal claim says renewal opens before expiry."""
    if claim.opens_before and claim.opens_before_unit in ("days", "months"):
        return (claim.opens_before, claim.opens_before_unit)
    return None


def window_label(rule):
    number, unit = rule
    return f"{number} {unit[:-1] if number == 1 else unit}"


@dataclass
class Renewal:
    """One held certification's dates, each with the claim it comes from (or why none)."""

    plan: object
    certification: object
    earned_on: datetime.date
    validity: Claim | None = None  # the rule the expiry counts from
    expires_on: datetime.date | None = None
    validity_note: str = ""  # why there is no expiry date, or a condition of the rule
    window: Claim | None = None  # the rule for when renewal opens
    opens_on: datetime.date | None = None
    window_note: str = ""
    how: list = field(default_factory=list)  # every current renewal claim: how to renew
    retires_on: datetime.date | None = None  # the certification's retirement, if it has one

    def state(self, today):
        """'expired', 'retired' (no renewal window is announced for a retired certification:
        whether it can still be renewed is its own page's business), 'open' (renewal
        possible now), 'upcoming' or 'unknown'."""
        if self.expires_on is None:
            return "unknown"
        if today >= self.expires_on:
            return "expired"
        if self.retires_on is not None and today >= self.retires_on:
            return "retired"
        if self.opens_on is not None and today >= self.opens_on:
            return "open"
        return "upcoming"

    @property
    def retires_first(self):
        """It retires before it expires: renewal may end with it (its page says)."""
        return (
            self.retires_on is not None and self.expires_on and self.retires_on < self.expires_on
        )


def _current(claims, attribute):
    """The claims of one attribute still in force (not superseded), official first."""
    replaced = replacements(claims)
    mine = [c for c in claims if c.attribute == attribute and c.pk not in replaced]
    return sorted(mine, key=lambda c: (TIER_ORDER.get(c.source.kind, len(TIER_ORDER)), c.pk))


def renewal_for(plan, claims):
    """The dates of one earned plan, from its certification's validity and renewal claims."""
    renewal = Renewal(
        plan, plan.certification, plan.earned_on, retires_on=plan.certification.retires_on
    )
    validity = _current(claims, Claim.Attribute.VALIDITY)
    renewal.how = _current(claims, Claim.Attribute.RENEWAL)
    structured = [c for c in validity if months_valid(c) is not None]
    applicable = [
        c for c in structured if c.earned_from is None or plan.earned_on >= c.earned_from
    ]
    lengths = {months_valid(c) for c in applicable}
    if not validity:
        renewal.validity_note = NO_VALIDITY
    elif not structured:
        # Words only ("Does not expire"): shown as the rule, with no date counted from it.
        renewal.validity = validity[0]
        renewal.validity_note = "No expiry date is counted from this rule."
    elif not applicable:
        renewal.validity = structured[0]
        renewal.validity_note = (
            f"This rule is for certifications earned from {structured[0].earned_from:%-d %b %Y}; "
            f"no sourced rule covers one earned on {plan.earned_on:%-d %b %Y}, so no expiry "
            "date is shown."
        )
    elif len(lengths) > 1:
        ordered = sorted(applicable, key=months_valid)
        values = " or ".join(dict.fromkeys(c.value_label for c in ordered))
        renewal.validity_note = f"Sources disagree: {values}; no expiry date is shown."
    else:
        renewal.validity = applicable[0]
        renewal.expires_on = add_months(plan.earned_on, lengths.pop())
    if renewal.expires_on is None:
        return renewal
    windowed = [c for c in renewal.how if opens_before(c)]
    rules = {opens_before(c) for c in windowed}
    if not rules:
        renewal.window_note = NO_WINDOW
    elif len(rules) > 1:
        values = " or ".join(window_label(r) for r in sorted(rules))
        renewal.window_note = f"Sources disagree on when renewal opens: {values} before expiry."
    else:
        number, unit = rules.pop()
        renewal.window = windowed[0]
        if unit == "months":
            renewal.opens_on = add_months(renewal.expires_on, -number)
        else:
            renewal.opens_on = renewal.expires_on - datetime.timedelta(days=number)
    return renewal


# ------------------------------------------------------------------ the database half


def read_renewals(plans):
    """A Renewal for each earned plan among `plans` (certification loaded), in their order:
    one query for the validity and renewal claims of them all, none without an earned one."""
    earned = [p for p in plans if p.status == CertificationProgress.Status.EARNED and p.earned_on]
    if not earned:
        return []
    claims = defaultdict(list)
    for claim in Claim.objects.filter(
        certification_id__in={p.certification_id for p in earned},
        attribute__in=(Claim.Attribute.VALIDITY, Claim.Attribute.RENEWAL),
    ).shown():
        claims[claim.certification_id].append(claim)
    return [renewal_for(p, claims[p.certification_id]) for p in earned]


def note_open_windows(today=None):
    """A notice to each holder whose renewal window is open today and who has not been told
    of this window: safe to run any number of times a day. Returns how many were made."""
    today = today or timezone.localdate()
    plans = (
        CertificationProgress.objects.filter(
            status=CertificationProgress.Status.EARNED,
            earned_on__isnull=False,
            certification__claims__attribute=Claim.Attribute.RENEWAL,
            certification__claims__opens_before__isnull=False,
        )
        .select_related("certification")
        .distinct()
        .order_by("pk")
    )
    due = [r for r in read_renewals(list(plans)) if r.state(today) == "open"]
    if not due:
        return 0
    with transaction.atomic():
        told = set(
            Notice.objects.filter(renewal__in=[r.plan for r in due]).values_list(
                "renewal_id", "renewal_opens_on"
            )
        )
        new = [
            Notice(user_id=r.plan.user_id, renewal=r.plan, renewal_opens_on=r.opens_on)
            for r in due
            if (r.plan.pk, r.opens_on) not in told
        ]
        Notice.objects.bulk_create(new, ignore_conflicts=True)
        from accounts.models import User

        # The count on My path is cached under the user's progress version.
        for user_id in {n.user_id for n in new}:
            User(pk=user_id).bump_progress_version()
    return len(new)


def with_dates(notices):
    """Renewal notices (renewal__certification loaded), each given `dates`: its plan's
    Renewal as it stands now (None if the certification is no longer held). One query."""
    notices = [n for n in notices if n.renewal_id]
    current = {r.plan.pk: r for r in read_renewals([n.renewal for n in notices])}
    for notice in notices:
        notice.dates = current.get(notice.renewal_id)
    return notices
