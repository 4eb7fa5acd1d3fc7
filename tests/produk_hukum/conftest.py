"""Pengelola of the three legal forms the issue names, each in its own kab/kota, with a recorded SK when asked."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from sentra.choices import BentukHukum
from sentra.models import SK

BANGGAI, PALU, SIGI = "72.01", "72.71", "72.10"


@pytest.fixture
def pengelola_in(make_user, start_proposal):
    """``pengelola_in("72.01", BentukHukum.KOPERASI)``: a proposal's pengelola of that form in that region."""

    def make(region_code: str, bentuk: str):
        pengusul = make_user(Role.PENGUSUL, region_code, username=f"pengusul.{region_code}.{bentuk}")
        return start_proposal(pengusul, bentuk=bentuk).pengelola

    return make


@pytest.fixture
def sk_for(make_user):
    """Record an SK for a pengelola directly (the signing steps are another issue's part)."""

    def make(pengelola, kapasitas: str, nama: str):
        region_code = pengelola.sentra.region_id
        kepala = make_user(Role.KEPALA_DAERAH, region_code, username=f"kepala.{region_code}.{pengelola.pk}")
        return SK.objects.create(
            pengelola=pengelola,
            nomor=f"100.3.3.2/{pengelola.pk}/HUKUM/2026",
            tanggal=timezone.localdate() - datetime.timedelta(days=1),
            penandatangan_nama=nama,
            penandatangan_kapasitas=kapasitas,
            file="sk/contoh.pdf",
            sha256="a" * 64,
            ditetapkan_oleh=kepala,
        )

    return make


CASES = {
    # region, legal form, capital, head's office
    "koperasi-banggai": (BANGGAI, BentukHukum.KOPERASI, "Luwuk", "BUPATI BANGGAI"),
    "uptd-blud-palu": (PALU, BentukHukum.BLUD, "Palu", "WALI KOTA PALU"),
    "bumdes-sigi": (SIGI, BentukHukum.BUMDES, "Sigi Biromaru", "BUPATI SIGI"),
}
