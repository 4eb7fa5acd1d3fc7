from django.core.management.base import BaseCommand, CommandError

from oversight.services import audit_chain_check


class Command(BaseCommand):
    help = "Hitung ulang rantai hash audit dan sebutkan peristiwa pertama yang rusak."

    def handle(self, *args, **options):
        report = audit_chain_check()
        if not report.ok:
            raise CommandError(f"Rantai audit RUSAK pada peristiwa #{report.broken_seq}: {report.reason}")
        self.stdout.write(self.style.SUCCESS(
            f"Rantai audit utuh: {report.events} peristiwa, kepala #{report.head_seq} {report.head_hash}"
        ))
