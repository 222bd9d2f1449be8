from django.core.management.base import BaseCommand, CommandError

from roadmap.catalogue import catalogue_problems


class Command(BaseCommand):
    help = (
        "Check the catalogue: prerequisite cycles, skills no role needs, roles with no skills, "
        "retired certifications named as successors, salary bands without a source. "
        "Prints one line per problem and exits non-zero when there is any."
    )

    def handle(self, *args, **options):
        problems = catalogue_problems()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the catalogue.")
        self.stdout.write("The catalogue has no problems.")
