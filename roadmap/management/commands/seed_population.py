import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from roadmap.models import Role, RoleSkill, Skill, SkillArea, SkillProgress

STATUSES = ["done", "done", "learning", "skipped", "not_started"]


class Command(BaseCommand):
    help = (
        "Seed a synthetic population for benchmarks: users with roles and progress on the real "
        "catalogue, plus synthetic skills on the ladder so that each user can have many "
        "progress rows. Never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--skills", type=int, default=100, help="Total skills to reach.")
        parser.add_argument("--prefix", default="bench-user-")
        parser.add_argument("--password", default="bench-password-123")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, users, skills, prefix, password, seed, **options):
        if not Role.objects.exists():
            raise CommandError("Load the catalogue first: manage.py load_catalogue")
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            all_skills = self.extend_catalogue(skills)
            created = self.create_users(users, prefix, password, rng)
            rows = self.create_progress(created, all_skills, rng)
        self.stdout.write(
            f"Seeded {len(created)} users, {len(all_skills)} skills and {rows} progress rows "
            f"in {time.monotonic() - started:.1f} s"
        )

    def extend_catalogue(self, total):
        existing = list(Skill.objects.order_by("pk"))
        missing = total - len(existing)
        if missing > 0:
            area = SkillArea.objects.order_by("position").last()
            rungs = list(Role.objects.ladder())
            prereq = None
            new = []
            for i in range(missing):
                skill = Skill.objects.create(
                    slug=f"bench-skill-{i}",
                    name=f"Synthetic skill {i}",
                    area=area,
                    summary="A synthetic skill added by seed_population for benchmarks.",
                )
                # A chain of prerequisites, so the path has real ordering work to do.
                if prereq is not None and i % 3:
                    skill.prerequisites.add(prereq)
                prereq = skill
                new.append(RoleSkill(role=rungs[i % len(rungs)], skill=skill))
            RoleSkill.objects.bulk_create(new)
        return list(Skill.objects.order_by("pk"))

    def create_users(self, count, prefix, password, rng):
        User = get_user_model()
        first = Role.objects.ladder().first()
        ladder = list(Role.objects.ladder())
        hashed = make_password(password)  # one hash for all: hashing 10,000 would take minutes
        users = []
        for i in range(count):
            if i == 0:
                # The benchmark's own user: not in AI yet, aiming for the top, so the longest path.
                current, target = None, ladder[-1]
            else:
                current = rng.choice([None, *ladder[:-1]])
                above = [r for r in ladder if current is None or r.rank > current.rank]
                target = rng.choice(above or [first])
            users.append(
                User(
                    username=f"{prefix}{i}",
                    email=f"{prefix}{i}@bench.invalid",
                    password=hashed,
                    current_role=current,
                    target_role=target,
                )
            )
        User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
        return list(User.objects.filter(username__startswith=prefix).order_by("pk"))

    def create_progress(self, users, skills, rng):
        total = 0
        batch = []
        for user in users:
            for skill in skills:
                batch.append(
                    SkillProgress(
                        user=user,
                        skill=skill,
                        status=rng.choice(STATUSES),
                        note="" if rng.random() < 0.8 else "Practised on a side project.",
                    )
                )
            if len(batch) >= 20_000:
                SkillProgress.objects.bulk_create(batch, ignore_conflicts=True)
                total += len(batch)
                batch = []
        if batch:
            SkillProgress.objects.bulk_create(batch, ignore_conflicts=True)
            total += len(batch)
        return total
