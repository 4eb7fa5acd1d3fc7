from django.core.management.base import BaseCommand, CommandError

from audit.anchor import anchor_path
from oversight.services import audit_chain_check


class Command(BaseCommand):
    help = ("Hitung ulang rantai hash audit, bandingkan dengan jangkar terakhir di luar basis data, "
            "sebutkan peristiwa pertama yang rusak, lalu tambahkan kepala rantai ke berkas jangkar.")

    def handle(self, *args, **options):
        report = audit_chain_check()
        if not report.ok:
            raise CommandError(f"Rantai audit RUSAK pada peristiwa #{report.broken_seq}: {report.reason}")
        self.stdout.write(self.style.SUCCESS(
            f"Rantai audit utuh: {report.events} peristiwa, kepala #{report.head_seq} {report.head_hash}; "
            f"sesuai dengan jangkar terakhir; kepala ini ditambahkan ke {anchor_path()}"
        ))
