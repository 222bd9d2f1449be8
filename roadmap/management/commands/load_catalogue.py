from django.core.management.base import BaseCommand, CommandError

from roadmap.loading import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = (
        "Load the catalogue fixtures (roles, skills, certifications, salary bands, sources). "
        "Safe to re-run: adds what is missing, updates rows nobody has edited, and keeps rows "
        "an admin edited since they were loaded unless --overwrite is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="Fixture files to load (default: every file in FIXTURE_DIRS)."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace rows edited in admin with the fixture's version.",
        )

    def handle(self, *args, files, overwrite, **options):
        try:
            report = load_catalogue(files or None, overwrite=overwrite)
        except CatalogueError as exc:
            raise CommandError(f"Catalogue not loaded, nothing was changed. {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
