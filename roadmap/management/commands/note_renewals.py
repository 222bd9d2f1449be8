from django.core.management.base import BaseCommand

from roadmap.renewals import note_open_windows


class Command(BaseCommand):
    help = (
        "Tell each holder of a certification whose renewal window opened (by its sourced "
        "rules) that renewal is open: one notice per window, so safe to run daily or more "
        "often. send_digests runs it too, before making the digests."
    )

    def handle(self, *args, **options):
        made = note_open_windows()
        self.stdout.write(f"Renewal notices made: {made}.")
