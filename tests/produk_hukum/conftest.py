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
    """``pengelola_in("72.01", BentukHukum.KOPERASI)``: a proposal's pengelola of that form in that region
    (``ppk_blud=True``: a UPTD applying PPK-BLUD)."""

    def make(region_code: str, bentuk: str, ppk_blud: bool = False):
        username = f"pengusul.{region_code}.{bentuk}{'.blud' if ppk_blud else ''}"
        pengusul = make_user(Role.PENGUSUL, region_code, username=username)
        return start_proposal(pengusul, bentuk=bentuk, ppk_blud=ppk_blud).pengelola

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
    # region, legal form, PPK-BLUD, capital, head's office
    "koperasi-banggai": (BANGGAI, BentukHukum.KOPERASI, False, "Luwuk", "BUPATI BANGGAI"),
    "uptd-blud-palu": (PALU, BentukHukum.UPTD, True, "Palu", "WALI KOTA PALU"),
    "bumdes-sigi": (SIGI, BentukHukum.BUMDES, False, "Sigi Biromaru", "BUPATI SIGI"),
}
