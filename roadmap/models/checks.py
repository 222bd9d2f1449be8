"""Self-checks: a pool of questions per skill (catalogue content) and the attempts people
make at them (their own data). The rules (how many are drawn, the pass mark, the cool-off)
are pure functions in roadmap/checks.py; the writes are the manager methods here."""

import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .. import checks
from .catalogue import Skill
from .progress import http_url


def option_numbers(text):
    """[1, 3] for "1, 3": the right options, as an admin writes them (1-based)."""
    numbers = []
    for part in text.replace(" ", "").split(","):
        if not part.isdigit() or len(part) > 2:
            raise ValueError(part)
        numbers.append(int(part))
    return numbers


class CheckQuestionManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class CheckQuestion(models.Model):
    """One question of a skill's self-check, written by us and resting on one page."""

    class Kind(models.TextChoices):
        SINGLE = "single", "One right option"
        MULTIPLE = "multiple", "Several right options"
        NUMBER = "number", "A number"

    MAX_OPTIONS = 5

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="check_questions")
    key = models.SlugField(max_length=60, unique=True, help_text="The skill's slug and a number.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    prompt = models.TextField(max_length=400)
    options = models.TextField(
        blank=True,
        max_length=1000,
        help_text="For a choice: one option per line, 3 to 5 of them. Leave empty for a number.",
    )
    correct = models.CharField(
        max_length=20,
        blank=True,
        help_text='For a choice: the numbers of the right options, counted from 1 ("2", or '
        '"1, 3" for several). Leave empty for a number.',
    )
    answer = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="For a number."
    )
    tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        default=0,
        help_text="For a number: how far from the answer still counts as right.",
    )
    explanation = models.TextField(
        max_length=600, help_text="Shown after answering, with a link to the source."
    )
    source_url = models.URLField(
        "source", max_length=500, validators=[http_url], help_text="The page it rests on."
    )
    checked_on = models.DateField(
        help_text="When the question was last checked against its source. Older than a year: "
        "the review queue lists it."
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick to stop drawing it (attempts that drew it still score)."
    )

    objects = CheckQuestionManager()

    class Meta:
        ordering = ["skill", "key"]
        verbose_name = "self-check question"

    def __str__(self):
        return self.key

    def natural_key(self):
        return (self.key,)

    natural_key.dependencies = ["roadmap.skill"]

    @property
    def option_list(self):
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def correct_indexes(self):
        """The right options, 0-based."""
        try:
            return {n - 1 for n in option_numbers(self.correct)}
        except ValueError:
            return set()

    def clean(self):
        errors = {}
        options = self.option_list
        if self.kind == self.Kind.NUMBER:
            if options or self.correct:
                errors["options"] = "A number question has no options: leave both empty."
            if self.answer is None:
                errors["answer"] = "Give the right number."
            if self.tolerance is not None and self.tolerance < 0:
                errors["tolerance"] = "The tolerance cannot be negative."
        elif self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            if not 3 <= len(options) <= self.MAX_OPTIONS:
                errors["options"] = f"Give 3 to {self.MAX_OPTIONS} options, one per line."
            elif len(set(options)) != len(options):
                errors["options"] = "Two options are the same."
            elif any(len(o) > 160 for o in options):
                errors["options"] = "Keep each option to 160 characters."
            try:
                numbers = option_numbers(self.correct)
            except ValueError:
                numbers = None
            if numbers is None or any(not 1 <= n <= len(options) for n in numbers):
                errors["correct"] = "Give the numbers of the right options, from 1, with commas."
            elif len(set(numbers)) != len(numbers):
                errors["correct"] = "A right option is named twice."
            elif self.kind == self.Kind.SINGLE and len(numbers) != 1:
                errors["correct"] = "One right option for this kind of question."
            elif self.kind == self.Kind.MULTIPLE and len(numbers) < 2:
                errors["correct"] = "At least two right options, or make it a one-answer question."
            if self.answer is not None:
                errors["answer"] = "Only a number question has an answer here."
        if errors:
            raise ValidationError(errors)


class CheckAttemptQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(finished_at__isnull=True, expires_at__gt=now)

    def latest_passes(self, user, skills=None):
        """{skill id: when it was last passed} for a user."""
        rows = self.filter(user=user, passed=True)
        if skills is not None:
            rows = rows.filter(skill__in=skills)
        return dict(
            rows.values("skill_id")
            .annotate(at=models.Max("finished_at"))
            .values_list("skill_id", "at")
        )


class CheckAttemptManager(models.Manager.from_queryset(CheckAttemptQuerySet)):
    def start(self, user, skill, pool, now=None, rng=None):
        """(attempt, None), or (None, why not): a new attempt with its questions drawn.

        The user's row is locked first, so two clicks cannot both start one (the partial
        unique constraint stands behind it). An attempt still open is returned as it is.
        """
        from accounts.models import User

        now = now or timezone.now()
        rng = rng or random.SystemRandom()
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()
            mine = self.filter(user=user, skill=skill)
            current = mine.filter(finished_at__isnull=True).first()
            if current is not None and current.expires_at > now:
                return current, None
            if current is not None:
                current.finish(now=now, expired=True)
            last = mine.order_by("-started_at").first()
            opens = checks.next_attempt_at(last.started_at if last else None)
            if opens is not None and opens > now:
                return None, opens
            drawn = checks.draw([q.pk for q in pool], rng)
            if not drawn:
                return None, None
            by_pk = {q.pk: q for q in pool}
            questions = [
                {"id": pk, "order": checks.shuffled(len(by_pk[pk].option_list), rng)}
                for pk in drawn
            ]
            attempt = self.create(
                user=user,
                skill=skill,
                started_at=now,
                expires_at=now + checks.ATTEMPT_TIME,
                questions=questions,
            )
        return attempt, None


class CheckAttempt(models.Model):
    """One try at a skill's self-check: the questions drawn (and the order their options
    were shown in), the answers given, and the result. Kept as the user's data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_attempts"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="check_attempts")
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # [{"id": question pk, "order": [option index shown first, second, ...]}, ...]
    questions = models.JSONField(default=list)
    # {"0": [shown option positions] or "3.5"}: by the question's place in the attempt.
    answers = models.JSONField(default=dict, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    objects = CheckAttemptManager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "skill"],
                condition=Q(finished_at__isnull=True),
                name="checkattempt_one_open_per_skill",
            )
        ]
        indexes = [models.Index(fields=["user", "skill", "-started_at"])]

    def __str__(self):
        return f"{self.user} on {self.skill}"

    @property
    def finished(self):
        return self.finished_at is not None

    def expired(self, now=None):
        return self.finished_at is None and self.expires_at <= (now or timezone.now())

    def unanswered(self):
        return [i for i in range(len(self.questions)) if str(i) not in self.answers]

    def finish(self, now=None, expired=False):
        """Score what was answered (an unanswered question counts as wrong) and close."""
        questions = CheckQuestion.objects.in_bulk([q["id"] for q in self.questions])
        results = checks.score(self.questions, self.answers, questions)
        self.correct_count = sum(1 for r in results if r.right)
        self.passed = not expired and checks.passes(self.correct_count, len(results))
        self.finished_at = now or timezone.now()
        with transaction.atomic():
            self.save(update_fields=["correct_count", "passed", "finished_at"])
            if self.passed:
                from .progress import SkillProgress

                SkillProgress.objects.record_check(self.user, self.skill, self.finished_at)
        return results
