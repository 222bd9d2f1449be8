from django.core.management.base import BaseCommand, CommandError

from roadmap.loading import catalogue_problems, claim_conflicts


class Command(BaseCommand):
    help = (
        "Check the catalogue: prerequisite cycles, skills no role needs, roles with no skills, "
        "skills without an hours estimate or with fewer than two learning resources, retired "
        "certifications named as successors. Prints one line per problem and exits "
        "non-zero when there is any. Then lists every fact whose sources disagree: the pages "
        "show those as conflicts, so they are for an admin to settle, not errors."
    )

    def handle(self, *args, **options):
        problems = catalogue_problems()
        for problem in problems:
            self.stdout.write(problem)
        conflicts = claim_conflicts()
        if conflicts:
            self.stdout.write(f"{len(conflicts)} fact(s) where sources disagree:")
            for line in conflicts:
                self.stdout.write(f"  {line}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the catalogue.")
        self.stdout.write("The catalogue has no problems.")
