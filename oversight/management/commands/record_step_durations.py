"""Record the working-day duration of human tasks finished since the last run (what beat does every
5 minutes); the first run goes through the whole history once."""

from django.core.management.base import BaseCommand

from oversight.service_levels import durations_caught_up, durations_record


class Command(BaseCommand):
    help = "Rekap lama penyelesaian (hari kerja) tugas yang selesai sejak rekap terakhir."

    def handle(self, *args, **options):
        added = durations_record()
        while not durations_caught_up():
            added += durations_record()
        self.stdout.write(f"{added} tugas direkap.")
