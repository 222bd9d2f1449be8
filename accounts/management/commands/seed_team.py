"""A team for the benchmark: an owner and up to N members from seeded users. Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership, Team, User
from roadmap.models import Role


class Command(BaseCommand):
    help = "Create (or complete) a team of seeded users, owned by one of them."

    def add_arguments(self, parser):
        parser.add_argument("--name", default="Bench team")
        parser.add_argument("--owner", default="bench-user-0")
        parser.add_argument("--members", type=int, default=200)
        parser.add_argument("--prefix", default="bench-user-")
        parser.add_argument("--role", default="senior-ai-engineer")

    @transaction.atomic
    def handle(self, *args, name, owner, members, prefix, role, **options):
        try:
            owner_user = User.objects.get(username=owner)
            reference = Role.objects.get(slug=role)
        except (User.DoesNotExist, Role.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        team, _ = Team.objects.get_or_create(name=name, defaults={"reference_role": reference})
        Membership.objects.get_or_create(
            team=team, user=owner_user, defaults={"role": Membership.Role.OWNER}
        )
        others = (
            User.objects.filter(username__startswith=prefix)
            .exclude(pk=owner_user.pk)
            .order_by("pk")[:members]
        )
        Membership.objects.bulk_create(
            [Membership(team=team, user=user) for user in others], ignore_conflicts=True
        )
        count = team.memberships.count()
        self.stdout.write(f"Team {team.pk} “{team.name}”: {count} members")
