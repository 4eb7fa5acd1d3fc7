"""Write the default Word template of the draft SK (sentra/templates_sk/default.docx)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from sentra.documents.builder import DEFAULT_TEMPLATE, sk_template_build


class Command(BaseCommand):
    help = "Build the default .docx template of the draft SK (docxtpl tags) that kab/kota may replace."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_TEMPLATE), help="where to write it (default: %(default)s)")

    def handle(self, *args, output, **options):
        path = sk_template_build(Path(output))
        self.stdout.write(f"template written to {path}")
