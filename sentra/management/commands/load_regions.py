from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sentra.models import Region
from sentra.regions import read_region_rows, regions_load


class Command(BaseCommand):
    help = "Muat atau perbarui wilayah dari CSV (kode_kemendagri,nama,jenis,kode_bps[,ibu_kota][,timezone])."

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)

    def handle(self, *args, csv: Path, **options):
        if not csv.exists():
            raise CommandError(f"Berkas tidak ditemukan: {csv}")
        count = regions_load(read_region_rows(csv), Region)
        self.stdout.write(self.style.SUCCESS(f"{count} wilayah dimuat."))
