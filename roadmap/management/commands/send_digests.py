from django.core.management.base import BaseCommand

from roadmap import digests


class Command(BaseCommand):
    help = (
        "Email each opted-in user a digest of the catalogue changes that touch their plan or "
        "path. Safe to run from cron at any interval: a notice is never mailed twice, and a "
        "run that dies half-way is finished by the next one."
    )

    def handle(self, *args, **options):
        retired, made, sent = digests.run()
        self.stdout.write(
            f"Retirements noted: {retired}. Digests made: {made}. Digests sent: {sent}."
        )
