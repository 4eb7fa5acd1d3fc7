from django.core.management.base import BaseCommand

from flows.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Isi data demo: pengguna per peran per kabupaten/kota dan usulan di setiap tahap."

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=None, help="Hanya N kab/kota pertama.")

    def handle(self, *args, regions=None, **options):
        created = demo_load(regions=regions, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{created} usulan demo dibuat. Kata sandi demo: {DEMO_PASSWORD}"))
        self.stdout.write(
            "Contoh login: pengusul.donggala, verifikator_dinas.donggala, verifikator_aset.donggala, "
            "bagian_hukum.donggala, kepala_daerah.donggala, pimpinan.donggala, pengelola.donggala, "
            "pencatat_provinsi.sulawesitengah, auditor.sulawesitengah"
        )
