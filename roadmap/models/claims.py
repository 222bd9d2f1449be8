"""Facts about the catalogue that a source states: salary figures (and, next, every other
figure and date a page shows)."""

from django.db import models
from django.db.models import Q

from .catalogue import Role, SlugManager, Source, years_range_label


class SalaryBandQuerySet(models.QuerySet):
    def sourced(self):
        """Only bands with a source: an unsourced figure is never shown."""
        return self.filter(source__isnull=False).select_related("source")


class SalaryBandManager(SlugManager.from_queryset(SalaryBandQuerySet)):
    pass


class SalaryBand(models.Model):
    class FigureKind(models.TextChoices):
        MEDIAN = "median", "Median"
        LOWER_BOUND = "lower_bound", "Lower bound"
        RANGE = "range", "Range"
        PERCENTILES = "percentiles", "25th to 75th percentile"

    slug = models.SlugField(max_length=80, unique=True)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="salary_bands")
    region = models.CharField(max_length=80)
    currency = models.CharField(max_length=3)
    figure_kind = models.CharField(max_length=20, choices=FigureKind.choices)
    amount = models.PositiveIntegerField(
        help_text="The median, the lower bound, or the low end of a range."
    )
    amount_high = models.PositiveIntegerField(
        null=True, blank=True, help_text="The high end, for a range or percentiles only."
    )
    years_min = models.PositiveSmallIntegerField(null=True, blank=True)
    years_max = models.PositiveSmallIntegerField(null=True, blank=True)
    population = models.CharField(
        max_length=200, blank=True, help_text="Whom the figure covers, e.g. 'top tech firms'."
    )
    as_of = models.DateField(
        help_text="The date the figure describes, or when it was read if the source gives none."
    )
    # Required in every form; nullable only so that deleting a source leaves the band
    # visible to `check_catalogue` (and hidden from the public pages) instead of gone.
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=False, related_name="salary_bands"
    )

    objects = SalaryBandManager()

    class Meta:
        ordering = ["role", "years_min"]
        constraints = [
            models.CheckConstraint(
                condition=Q(figure_kind__in=["range", "percentiles"], amount_high__isnull=False)
                | (~Q(figure_kind__in=["range", "percentiles"]) & Q(amount_high__isnull=True)),
                name="salaryband_high_only_for_ranges",
                violation_error_message=(
                    "A range or percentiles need a high amount; a median or lower bound has none."
                ),
            )
        ]

    def __str__(self):
        return f"{self.role}: {self.figure_label} ({self.region})"

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["roadmap.role", "roadmap.source"]

    @property
    def figure_label(self):
        amount = f"{self.currency} {self.amount:,}"
        if self.figure_kind == self.FigureKind.MEDIAN:
            return f"median {amount}"
        if self.figure_kind == self.FigureKind.LOWER_BOUND:
            return f"over {amount}"
        high = f"{self.amount_high:,}" if self.amount_high is not None else "?"
        return f"{amount} to {high} ({self.get_figure_kind_display().lower()})"

    @property
    def years_label(self):
        return years_range_label(self.years_min, self.years_max)
