"""Claims: every figure and date a page shows, each as one source states it.

A claim is about one certification, role or skill; it has a value (a number or range with its
unit, a day, or words), the source that states it, the date or data year it describes and,
for pay, what kind of figure it is and whom it covers. One attribute may have several
claims; where sources disagree the pages show every value (roadmap/facts.py).

A claim can also be superseded: when a later act or decision changes a rule (a law moves a
date), the claim with the new value names the one it replaces (`supersedes`) and what changed
it (`change`). The old value is then history ("was 2 Aug 2026, changed by ..."), never part
of a conflict.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .catalogue import Certification, Role, Skill, SlugManager, Source

# Data older than this year is shown with its year in plain sight.
CURRENT_DATA_YEAR = 2025


class ClaimQuerySet(models.QuerySet):
    def shown(self):
        """With their sources, in a stable order (roadmap/facts.py puts official first)."""
        return self.select_related("source", "supersedes").order_by("attribute", "topic", "pk")

    def salaries(self):
        return self.filter(attribute=Claim.Attribute.SALARY).shown()


class ClaimManager(SlugManager.from_queryset(ClaimQuerySet)):
    pass


class PayRegion(models.TextChoices):
    """The countries pay figures are given for: a learner picks one to compare rungs in."""

    US = "US", "United States"
    GB = "GB", "United Kingdom"
    CA = "CA", "Canada"
    DE = "DE", "Germany"


class PayPeriod(models.TextChoices):
    """What one amount of pay covers, as the source gives it: never converted."""

    YEAR = "year", "a year"
    MONTH = "month", "a month"
    WEEK = "week", "a week"
    HOUR = "hour", "an hour"


class Claim(models.Model):
    class Attribute(models.TextChoices):
        COST = "cost", "Exam cost"
        EXAM_MINUTES = "exam_minutes", "Exam length"
        QUESTIONS = "questions", "Questions"
        PASSING_SCORE = "passing_score", "Passing score"
        VALIDITY = "validity", "Valid for"
        RENEWAL = "renewal", "Renewal"
        BETA = "beta", "Beta opened"
        LAUNCH = "launch", "Launched"
        RETIREMENT = "retirement", "Retirement"
        SALARY = "salary", "Pay"
        APPLIES_FROM = "applies_from", "Applies from"
        PUBLISHED = "published", "Published"
        ADOPTED = "adopted", "Adopted"
        IN_FORCE = "in_force", "In force"
        RULE = "rule", "The rule"

    class FigureKind(models.TextChoices):
        MEDIAN = "median", "Median"
        MEAN = "mean", "Average"
        PERCENTILES = "percentiles", "25th to 75th percentile"
        RANGE = "range", "Range"
        LOWER_BOUND = "lower_bound", "Lower bound"

    DATED_ATTRIBUTES = {
        Attribute.BETA,
        Attribute.LAUNCH,
        Attribute.RETIREMENT,
        Attribute.APPLIES_FROM,
        Attribute.PUBLISHED,
        Attribute.ADOPTED,
        Attribute.IN_FORCE,
    }

    slug = models.SlugField(max_length=120, unique=True)
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, null=True, blank=True, related_name="claims"
    )
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="claims"
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, null=True, blank=True, related_name="claims"
    )
    attribute = models.CharField(max_length=20, choices=Attribute.choices)
    topic = models.CharField(
        max_length=120,
        blank=True,
        help_text="What part of the subject it is about, when there are several "
        "(e.g. 'High-risk obligations'). Claims conflict only within one topic.",
    )
    # The value: a number (or range) with its unit, a day, or words.
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_high = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="The top of a range."
    )
    unit = models.CharField(
        max_length=20, blank=True, help_text="A currency code (USD) or a unit (minutes)."
    )
    on_date = models.DateField(null=True, blank=True, help_text="For a date: the day.")
    # A moment, where the source gives the time of day: stored as the instant (the day, the
    # time and its zone), shown with the zone's name and offset on that very day.
    at_time = models.TimeField(
        null=True, blank=True, help_text="For a moment: the time of day, in its time zone."
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="The zone the time is in, as the tz database names it: America/Chicago.",
    )
    text = models.CharField(
        max_length=200, blank=True, help_text="The value in words, or what follows the number."
    )
    qualifier = models.CharField(
        max_length=200, blank=True, help_text="Shown after the value; not part of it."
    )
    # A certification's validity and renewal rules as data, for the dates of a renewal
    # (roadmap/renewals.py): set only where the source's own words say it.
    opens_before = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="For a renewal rule: how long before expiry renewal opens, in the unit "
        "below, only where the source says it ('from six months before expiry': 6 months).",
    )
    opens_before_unit = models.CharField(
        max_length=10,
        choices=[("days", "days"), ("months", "months")],
        blank=True,
        help_text="The unit of the time above.",
    )
    earned_from = models.DateField(
        null=True,
        blank=True,
        help_text="For a validity rule that applies only to certifications earned on or "
        "after a day ('for exams taken from 1 Apr 2024'): that day.",
    )
    # Pay, and any figure that describes a population.
    figure_kind = models.CharField(max_length=20, choices=FigureKind.choices, blank=True)
    region = models.CharField(max_length=80, blank=True)
    population = models.CharField(max_length=200, blank=True, help_text="Whom it covers.")
    occupation = models.CharField(
        max_length=120,
        blank=True,
        help_text="The official occupation the figure is for, as the source names it.",
    )
    is_proxy = models.BooleanField(
        default=False,
        help_text="The occupation is the closest official one, not the role itself: shown "
        "as such, never as the role's own pay.",
    )
    country = models.CharField(
        max_length=2,
        choices=PayRegion.choices,
        blank=True,
        help_text="The country the figure is for (the region above may be a state or city).",
    )
    pay_period = models.CharField(
        max_length=10,
        choices=PayPeriod.choices,
        blank=True,
        help_text="What one amount covers, as the source gives it (an hour stays an hour).",
    )
    series = models.CharField(
        max_length=120,
        blank=True,
        help_text="The survey or data series the figure comes from (e.g. 'BLS OEWS'), the same "
        "words for every figure of it: figures of one series in one region, currency and "
        "period are compared rung by rung. Empty for a one-off figure.",
    )
    data_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the data describes."
    )
    period = models.CharField(
        max_length=40, blank=True, help_text="The period as the source gives it: 'May 2024'."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    # A later rule: this claim's value replaces an older claim's (same subject and fact).
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The older claim this one replaces because a later act or decision changed "
        "the rule (not because a source was wrong). The old value is shown as history.",
    )
    change = models.CharField(
        max_length=200,
        blank=True,
        help_text="What changed the rule, as it is named: 'Regulation (EU) 2026/1744 (the "
        "Digital Omnibus on AI)'. Needed when this claim supersedes another.",
    )

    objects = ClaimManager()

    class Meta:
        ordering = ["attribute", "topic", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(certification__isnull=False, role__isnull=True, skill__isnull=True)
                    | Q(certification__isnull=True, role__isnull=False, skill__isnull=True)
                    | Q(certification__isnull=True, role__isnull=True, skill__isnull=False)
                ),
                name="claim_exactly_one_subject",
                violation_error_message="A claim is about one certification, role or skill.",
            ),
            models.CheckConstraint(
                condition=~Q(amount__isnull=True, on_date__isnull=True, text=""),
                name="claim_has_a_value",
                violation_error_message="Give the value: a number, a day or words.",
            ),
            models.CheckConstraint(
                condition=Q(is_proxy=False) | ~Q(occupation=""),
                name="claim_proxy_names_its_occupation",
                violation_error_message="A proxy names the official occupation it stands for.",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(change=""),
                name="claim_superseding_names_the_change",
                violation_error_message="Say what changed the rule (the act or decision).",
            ),
        ]

    def __str__(self):
        return f"{self.subject}: {self.get_attribute_display()} {self.value_label}"

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = [
        "roadmap.certification",
        "roadmap.role",
        "roadmap.skill",
        "roadmap.source",
    ]

    def clean(self):
        errors = {}
        if self.at_time is not None and (self.on_date is None or not self.time_zone):
            errors["at_time"] = "A time of day needs its day and its time zone."
        if self.time_zone:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors["time_zone"] = "Give a time zone by its tz database name: America/Chicago."
        high, low = self.amount_high, self.amount
        if low is not None and high is not None and high < low:
            errors["amount_high"] = "The top of the range cannot be below its bottom."
        if self.attribute == self.Attribute.SALARY:
            if not self.figure_kind:
                errors["figure_kind"] = "Say what kind of figure it is (median, range...)."
            if self.amount is None or not self.unit:
                errors["amount"] = "A pay figure needs an amount and its currency."
            if not self.country:
                errors["country"] = "Say which country the pay figure is for."
            if not self.pay_period:
                errors["pay_period"] = "Say what one amount covers (a year, an hour...)."
            ranged = self.figure_kind in (self.FigureKind.PERCENTILES, self.FigureKind.RANGE)
            if ranged and self.amount_high is None:
                errors["amount_high"] = "A range or percentiles need their top."
            if not ranged and self.figure_kind and self.amount_high is not None:
                errors["amount_high"] = "Only a range or percentiles have a top."
        else:
            if self.figure_kind:
                errors["figure_kind"] = "Only pay figures have a kind of figure."
            if self.pay_period:
                errors["pay_period"] = "Only pay figures cover a period of work."
        if (self.opens_before is None) != (not self.opens_before_unit):
            errors["opens_before"] = "Give both the time before expiry and its unit, or neither."
        if self.opens_before is not None and self.attribute != self.Attribute.RENEWAL:
            errors["opens_before"] = "Only a renewal rule says when renewal opens."
        if self.earned_from is not None and self.attribute != self.Attribute.VALIDITY:
            errors["earned_from"] = "Only a validity rule applies from an earning date."
        if self.data_year is not None and not 1900 <= self.data_year <= 2200:
            errors["data_year"] = "Give the year the data describes."
        old = self.supersedes
        if old is not None:
            if old.pk is not None and old.pk == self.pk:
                errors["supersedes"] = "A claim cannot replace itself."
            elif old.conflict_key != self.conflict_key:
                errors["supersedes"] = (
                    "It can only replace a claim about the same subject, fact and topic."
                )
            if not self.change:
                errors["change"] = "Say what changed the rule (the act or decision)."
        if errors:
            raise ValidationError(errors)

    @property
    def subject(self):
        return self.certification or self.role or self.skill

    @property
    def value_key(self):
        """What two claims must share to agree."""
        return (self.amount, self.amount_high, self.unit, self.on_date, self.text)

    @property
    def is_comparable(self):
        """A number or a date can contradict another; two wordings of a rule cannot."""
        return (
            self.amount is not None
            or self.on_date is not None
            or self.attribute in self.DATED_ATTRIBUTES
        )

    @property
    def conflict_key(self):
        """Claims with the same key are about the same thing: different values conflict."""
        key = (
            self.certification_id,
            self.role_id,
            self.skill_id,
            self.attribute,
            self.topic,
            self.region,
        )
        if self.attribute == self.Attribute.SALARY:
            key += (
                self.figure_kind,
                self.occupation,
                self.population,
                self.data_year,
                self.pay_period,
            )
        return key

    @property
    def instant(self):
        """The moment a dated claim with a time of day names, aware of its zone; or None."""
        if self.on_date is None or self.at_time is None or not self.time_zone:
            return None
        zone = zoneinfo.ZoneInfo(self.time_zone)
        return datetime.datetime.combine(self.on_date, self.at_time, tzinfo=zone)

    @property
    def value_label(self):
        moment = self.instant
        if moment is not None:
            # The zone's name on that day (CDT in June, CST in January) and its offset.
            offset = moment.strftime("%z")
            offset = f"UTC{offset[0].replace('-', '−')}{offset[1:3]}:{offset[3:]}"
            hour = moment.strftime("%I:%M %p").lstrip("0")
            return f"{moment.day} {moment:%b %Y}, {hour} {moment.tzname()} ({offset})"
        if self.on_date:
            return f"{self.on_date.day} {self.on_date:%b %Y}"
        if self.amount is None:
            return self.text
        unit = self.unit
        if unit == "years" and self.amount == 1 and self.amount_high is None:
            unit = "year"
        cents = unit.isupper() and any(  # CAD 35.00–91.35, not CAD 35–91.35
            v is not None and Decimal(str(v)) != Decimal(str(v)).to_integral()
            for v in (self.amount, self.amount_high)
        )
        number = _number(self.amount, cents)
        # A range whose ends are equal reads as one value.
        if self.amount_high is not None and self.amount_high != self.amount:
            number = f"{number}–{_number(self.amount_high, cents)}"
        if unit.isupper() and len(unit) == 3:  # a currency code goes first
            label = f"{unit} {number}"
            if self.pay_period:
                label = f"{label} {self.get_pay_period_display()}"
        else:
            label = f"{number} {unit}".strip()
        if self.text:
            label = f"{label} {self.text}"
        return label

    @property
    def figure_label(self):
        """A pay figure in words: 'median USD 110,000', 'over USD 200,000'."""
        kind = self.figure_kind
        if kind == self.FigureKind.LOWER_BOUND:
            return f"over {self.value_label}"
        if kind in (self.FigureKind.MEDIAN, self.FigureKind.MEAN):
            return f"{self.get_figure_kind_display().lower()} {self.value_label}"
        return f"{self.value_label} ({self.get_figure_kind_display().lower()})"

    @property
    def is_old_data(self):
        return self.data_year is not None and self.data_year < CURRENT_DATA_YEAR

    @property
    def when_label(self):
        """The period the data describes, in words; '' when none is known."""
        if self.period:
            return self.period
        return str(self.data_year) if self.data_year else ""


def _number(value, cents=False):
    value = Decimal(str(value))  # also an int or float set in code, before a round trip
    if cents:
        return f"{value:,.2f}"
    value = value.normalize() if value == value.to_integral() else value
    return f"{int(value):,}" if value == value.to_integral() else f"{value:,}"
