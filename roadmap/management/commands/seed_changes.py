from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from roadmap.models import CatalogueChange, Role


class Command(BaseCommand):
    help = (
        "For benchmarks: fill the public changelog with real entries by editing one role's "
        "summary COUNT times through the normal save path, then putting the original back. "
        "Does nothing if the changelog already holds COUNT entries. Never run it on a "
        "production database: the changelog is public."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=500)
        parser.add_argument("--role", default="ai-engineer")

    def handle(self, *args, count, role, **options):
        existing = CatalogueChange.objects.count()
        if existing >= count:
            self.stdout.write(f"The changelog already holds {existing} entries.")
            return
        subject = Role.objects.filter(slug=role).first()
        if subject is None:
            raise CommandError(f"No role '{role}': load the catalogue first.")
        original = subject.summary
        with transaction.atomic():
            for n in range(count - existing - 1):
                subject.summary = f"{original} (benchmark edit {n})"
                subject.save()
            subject.summary = original
            subject.save()
        self.stdout.write(f"The changelog now holds {CatalogueChange.objects.count()} entries.")
