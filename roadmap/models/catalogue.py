"""The catalogue: sources, roles, skills and certifications.

Every row has a slug (or a tuple of slugs) as its natural key, so fixtures and users'
progress never depend on a database id.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone

RETIRING_WINDOW = datetime.timedelta(days=90)
STALE_AFTER = datetime.timedelta(days=365)
# Effort estimates per skill, in hours: a year of full-time work at most.
MAX_EFFORT_HOURS = 2000


def years_range_label(years_min, years_max):
    if years_min is None and years_max is None:
        return ""
    if years_max is None:
        return f"{years_min}+ years"
    if (years_min or 0) == years_max:
        return f"{years_max} year{'s' if years_max != 1 else ''}"
    return f"{years_min or 0}–{years_max} years"


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Source(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", "Official source"
        RELAY = "relay", "Official figures, relayed"
        THIRD_PARTY = "third_party", "Third-party report"
        GUIDE = "guide", "The guide"

    TIER_ORDER = [Kind.OFFICIAL, Kind.RELAY, Kind.THIRD_PARTY, Kind.GUIDE]

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=120)
    url = models.URLField(blank=True, help_text="Only a URL the source really has; never a guess.")
    published_on = models.DateField(
        null=True, blank=True, help_text="Leave empty when the source gives no publication date."
    )
    checked_on = models.DateField(help_text="When we last read the source and checked our facts.")
    # Who last stamped it "checked today" in the review queue (never shown publicly).
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        help_text="Official: the vendor or a government body. Relayed: an official body's "
        "figures on another site (name the body below). Third party: anyone else.",
    )
    relays = models.CharField(
        max_length=120,
        blank=True,
        help_text="Whose figures the page passes on, e.g. 'BLS' (needed for a relay).",
    )
    note = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["kind", "publisher", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="relay", relays=""),
                name="source_relay_names_its_body",
                violation_error_message="Name the official body whose figures are relayed.",
            )
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def natural_key(self):
        return (self.slug,)

    @property
    def tier_label(self):
        """How much to trust it, in words, shown beside every fact it supports."""
        if self.kind == self.Kind.OFFICIAL:
            return "Official source"
        if self.kind == self.Kind.RELAY:
            return f"Official {self.relays} figure, as relayed by {self.publisher}"
        if self.kind == self.Kind.GUIDE:
            return "The guide (a third-party report)"
        if self.relays:
            return f"Third-party report of {self.relays} data, by {self.publisher}"
        return "Third-party report"

    @property
    def is_stale(self):
        """Checked more than a year ago: what it supports may have changed since."""
        return timezone.localdate() - self.checked_on > STALE_AFTER


class RoleQuerySet(models.QuerySet):
    def with_overview(self):
        """What the home page shows of each role: its pay figures and added skills."""
        from .claims import Claim

        return self.prefetch_related(
            models.Prefetch(
                "claims",
                queryset=Claim.objects.salaries(),
                to_attr="salary_claims",
            ),
            models.Prefetch(
                "role_skills",
                queryset=RoleSkill.objects.select_related("skill").order_by(
                    "importance", "skill__area__position", "skill__name"
                ),
            ),
        )

    def ladder(self):
        return self.filter(kind=Role.Kind.LADDER).order_by("rank")

    def adjacent(self):
        return self.filter(kind=Role.Kind.ADJACENT).order_by("title")


class RoleManager(SlugManager.from_queryset(RoleQuerySet)):
    pass


class Role(models.Model):
    class Kind(models.TextChoices):
        LADDER = "ladder", "Career ladder"
        ADJACENT = "adjacent", "Adjacent role"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    alternative_titles = models.CharField(
        max_length=300, blank=True, help_text="Other titles for the same job, comma-separated."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, unique=True, help_text="Position on the ladder, 1 = first rung."
    )
    years_min = models.PositiveSmallIntegerField(null=True, blank=True)
    years_max = models.PositiveSmallIntegerField(null=True, blank=True)
    years_estimated = models.BooleanField(
        default=False, help_text="Tick when the years range is our estimate, not a sourced figure."
    )
    summary = models.TextField()
    responsibilities = models.TextField(blank=True, help_text="One responsibility per line.")
    next_roles = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="previous_roles"
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="roles")

    objects = RoleManager()

    class Meta:
        ordering = [models.F("rank").asc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ladder", rank__isnull=False)
                | Q(kind="adjacent", rank__isnull=True),
                name="role_rank_only_on_ladder",
                violation_error_message="A ladder role needs a rank; an adjacent role has none.",
            ),
            models.CheckConstraint(
                condition=Q(years_max__isnull=True)
                | Q(years_min__isnull=True)
                | Q(years_max__gte=models.F("years_min")),
                name="role_years_range_ordered",
                violation_error_message="The most years cannot be fewer than the fewest.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap:role", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def is_ladder(self):
        return self.kind == self.Kind.LADDER

    def is_below(self, other):
        """Whether this role is a lower rung of the ladder than `other` (a role or None): it
        cannot be the target of someone whose current role is `other`. Beside the ladder,
        and as the same role ("keep my role current"), any role can."""
        return other is not None and self.is_ladder and other.is_ladder and self.rank < other.rank

    def requirements(self):
        """RoleSkill rows this role needs: on the ladder, its own and every lower rung's."""
        if self.is_ladder:
            rows = RoleSkill.objects.filter(role__kind=self.Kind.LADDER, role__rank__lte=self.rank)
        else:
            rows = RoleSkill.objects.filter(role=self)
        return rows.select_related("skill__area", "role").order_by(
            "skill__area__position", "importance", "skill__name"
        )

    @property
    def alternative_title_list(self):
        return [t.strip() for t in self.alternative_titles.split(",") if t.strip()]

    @property
    def responsibility_list(self):
        return [line.strip() for line in self.responsibilities.splitlines() if line.strip()]

    @property
    def years_label(self):
        return years_range_label(self.years_min, self.years_max)


class SkillArea(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Skill(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="skills")
    summary = models.TextField()
    why_it_matters = models.TextField(blank=True)
    why_source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="skills_cited",
        help_text="The source behind 'why it matters', if it cites one.",
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="unlocks"
    )
    content_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the name, summary or why-it-matters last changed (roadmap/signals.py).",
    )
    # Effort estimates: a course's stated length where a resource marked as the estimate's
    # basis gives one (Resource.is_estimate_basis), otherwise our own judgement, labelled so.
    effort_hours_low = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_EFFORT_HOURS)],
        help_text="Estimated hours to learn it, low end (an estimate).",
    )
    effort_hours_high = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_EFFORT_HOURS)],
        help_text="Estimated hours, high end (an estimate).",
    )
    fast_moving = models.BooleanField(
        default=False,
        help_text="Changes fast (LLM engineering): a self-check passed over a year ago shows "
        "“re-check due”.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["area__position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roadmap:skill", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["roadmap.skillarea", "roadmap.source"]

    @property
    def has_estimate(self):
        return self.effort_hours_low is not None and self.effort_hours_high is not None

    @property
    def estimate_basis(self):
        """The resource whose stated length the estimate is, or None: then it is our estimate.

        Reads the prefetched resources when there are any (no query per skill on a list).
        """
        return next((r for r in self.resources.all() if r.is_estimate_basis), None)


class Resource(models.Model):
    """Somewhere to learn a skill: its official documentation or standard, a course, a book.

    Only a URL seen on the page itself or in a search result, never a guess. `length` is the
    page's own statement ("about 15 hours", "9 weeks"), blank when the page gives none. When
    the skill's hours estimate is this course's stated length, `is_estimate_basis` says so and
    the skill page shows the estimate as the course's figure; otherwise it is our estimate.
    """

    class Kind(models.TextChoices):
        DOCUMENTATION = "documentation", "Official documentation"
        STANDARD = "standard", "Standard or law"
        COURSE = "course", "Course"
        TUTORIAL = "tutorial", "Tutorial"
        BOOK = "book", "Book"
        GUIDE = "guide", "Guide"
        HOME = "home", "Official site"

    # What counts as "the official documentation or standard", and as "a way to learn it".
    REFERENCE_KINDS = (Kind.DOCUMENTATION, Kind.STANDARD)
    LEARNING_KINDS = (Kind.COURSE, Kind.TUTORIAL, Kind.BOOK, Kind.GUIDE)

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=120)
    url = models.URLField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_free = models.BooleanField(
        null=True,
        blank=True,
        default=True,
        help_text="Yes: free to read or take. No: a paid course, book or standard. "
        "Unknown: the page does not say.",
    )
    length = models.CharField(
        max_length=120,
        blank=True,
        help_text="How long the page itself says it takes, in its words ('about 15 hours'). "
        "Leave blank when the page does not say; never work one out.",
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="What a learner should know before relying on it, e.g. 'an older version'.",
    )
    is_estimate_basis = models.BooleanField(
        default=False,
        help_text="Tick when the skill's hours estimate is this course's stated length. "
        "At most one per skill; it needs a length.",
    )

    class ResourceManager(models.Manager):
        def get_by_natural_key(self, skill_slug, url):
            return self.get(skill__slug=skill_slug, url=url)

    objects = ResourceManager()

    class Meta:
        # The official documentation or standard first, then ways to learn, then home pages.
        ordering = [
            Case(
                When(kind__in=["documentation", "standard"], then=Value(0)),
                When(kind="home", then=Value(2)),
                default=Value(1),
            ),
            "title",
        ]
        constraints = [
            models.UniqueConstraint(fields=["skill", "url"], name="resource_unique_per_skill"),
            models.UniqueConstraint(
                fields=["skill"],
                condition=Q(is_estimate_basis=True),
                name="resource_one_estimate_basis_per_skill",
                violation_error_message="Only one resource can be the basis of the estimate.",
            ),
            models.CheckConstraint(
                condition=Q(is_estimate_basis=False) | ~Q(length=""),
                name="resource_estimate_basis_has_length",
                violation_error_message="A resource the estimate is based on needs its length.",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.skill.slug, self.url)

    natural_key.dependencies = ["roadmap.skill"]

    @property
    def is_reference(self):
        return self.kind in self.REFERENCE_KINDS

    @property
    def is_learning(self):
        return self.kind in self.LEARNING_KINDS


class RoleSkill(models.Model):
    """A skill a role adds to the rungs below it, and how much it matters there."""

    class Importance(models.TextChoices):
        CORE = "core", "Core"
        RECOMMENDED = "recommended", "Recommended"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="role_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="role_skills")
    importance = models.CharField(
        max_length=20, choices=Importance.choices, default=Importance.CORE
    )

    class RoleSkillManager(models.Manager):
        def get_by_natural_key(self, role_slug, skill_slug):
            return self.get(role__slug=role_slug, skill__slug=skill_slug)

    objects = RoleSkillManager()

    class Meta:
        ordering = ["role", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="roleskill_unique_pair")
        ]

    def __str__(self):
        return f"{self.role} needs {self.skill} ({self.get_importance_display()})"

    def natural_key(self):
        return (self.role.slug, self.skill.slug)

    natural_key.dependencies = ["roadmap.role", "roadmap.skill"]


class CertificationQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Annotate `status_code` ('active', 'retiring', 'retired') computed in the database."""
        today = today or timezone.localdate()
        return self.annotate(
            status_code=Case(
                When(retires_on__lte=today, then=Value(Certification.Status.RETIRED)),
                When(
                    retires_on__lte=today + RETIRING_WINDOW,
                    then=Value(Certification.Status.RETIRING),
                ),
                default=Value(Certification.Status.ACTIVE),
                output_field=models.CharField(),
            )
        )

    def with_status_code(self, status, today=None):
        return self.with_status(today).filter(status_code=status)

    def for_listing(self):
        from .claims import Claim

        return self.prefetch_related(
            "successors",
            models.Prefetch("claims", queryset=Claim.objects.shown()),
            models.Prefetch(
                "certification_sources",
                queryset=CertificationSource.objects.select_related("source"),
            ),
        )


class CertificationManager(SlugManager.from_queryset(CertificationQuerySet)):
    pass


class Certification(models.Model):
    class Level(models.TextChoices):
        FOUNDATIONAL = "foundational", "Foundational"
        ASSOCIATE = "associate", "Associate"
        PROFESSIONAL = "professional", "Professional"
        SPECIALTY = "specialty", "Specialty"
        PROGRAMME = "programme", "Certificate programme"
        CATEGORY = "category", "Category (no single certificate)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRING = "retiring", "Retiring"
        RETIRED = "retired", "Retired"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices)
    exam_code = models.CharField(max_length=30, blank=True)
    url = models.URLField(blank=True, help_text="The provider's own page, when a source gives it.")
    summary = models.TextField(blank=True)
    retires_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day it retires: from then on it cannot be earned. Empty if none is known.",
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text="What to take instead once it retires.",
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="certifications")
    roles = models.ManyToManyField(Role, blank=True, related_name="certifications")
    sources = models.ManyToManyField(
        Source, through="CertificationSource", blank=True, related_name="certifications"
    )
    content_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a lifecycle fact last changed (roadmap/signals.py).",
    )

    objects = CertificationManager()

    class Meta:
        ordering = ["provider", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roadmap:certification", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def status_on(self, today):
        if self.retires_on is None or self.retires_on - today > RETIRING_WINDOW:
            return self.Status.ACTIVE
        if self.retires_on <= today:
            return self.Status.RETIRED
        return self.Status.RETIRING

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def is_retired(self):
        return self.status == self.Status.RETIRED

    @property
    def is_category(self):
        return self.level == self.Level.CATEGORY


class CertificationSource(models.Model):
    """A source for a certification, and which of its facts that source supports."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="certification_sources"
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="certification_facts"
    )
    supports = models.CharField(
        max_length=200, help_text="The facts this source gives, e.g. 'retirement date; successor'."
    )

    class CertificationSourceManager(models.Manager):
        def get_by_natural_key(self, certification_slug, source_slug):
            return self.get(certification__slug=certification_slug, source__slug=source_slug)

    objects = CertificationSourceManager()

    class Meta:
        ordering = ["source__kind", "source__publisher"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "source"], name="certificationsource_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.source} on {self.certification}: {self.supports}"

    def natural_key(self):
        return (self.certification.slug, self.source.slug)

    natural_key.dependencies = ["roadmap.certification", "roadmap.source"]


class CatalogueVersion(models.Model):
    """A number that changes with every edit to the catalogue, in the same transaction.

    Caches of catalogue data include it in their keys, so an edit in admin shows at once
    on every app instance: readers ask the database for the number (one tiny query) and
    never serve what was cached under an older one. See roadmap/signals.py.
    """

    version = models.PositiveBigIntegerField(default=1)
    # When it last changed: the Last-Modified of the open data (roadmap/api.py).
    changed_at = models.DateTimeField(null=True, blank=True)
    # When the catalogue was first loaded here (its first release on this site): the
    # changelog's "nothing has changed since" date.
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"catalogue version {self.version}"

    @classmethod
    def current(cls):
        return cls.objects.values_list("version", flat=True).first() or 0

    @classmethod
    def stamp(cls):
        """(version, when it last changed); (0, None) before the first change."""
        return cls.objects.values_list("version", "changed_at").first() or (0, None)

    @classmethod
    def bump(cls):
        now = timezone.now()
        if not cls.objects.update(version=models.F("version") + 1, changed_at=now):
            cls.objects.create(version=2, changed_at=now, released_at=now)

    @classmethod
    def released(cls):
        """When the catalogue was first released on this site; None before it was."""
        return cls.objects.values_list("released_at", flat=True).first()


class CatalogueLoad(models.Model):
    """What `load_catalogue` last wrote for one catalogue row.

    `digest` is a hash of the row as the command left it. If the row's current hash differs,
    somebody (an admin) has edited it since, and a plain re-load keeps their edit.
    """

    model = models.CharField(max_length=100)
    key = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="catalogueload_unique_row")
        ]

    def __str__(self):
        return f"{self.model} {self.key}"
