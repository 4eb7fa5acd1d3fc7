"""SKs recorded before the register fields existed get their kab/kota, year and public token."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sentra", "0002_load_sulawesi_tengah")]
AFTER = [("sentra", "0005_sk_register_constraints")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_sks_get_their_kabupaten_year_and_an_unguessable_token(regions):
    try:
        old = _migrate(BEFORE)
        User = old.get_model("accounts", "User")
        Region = old.get_model("sentra", "Region")
        Sentra = old.get_model("sentra", "Sentra")
        Pengelola = old.get_model("sentra", "Pengelola")
        SK = old.get_model("sentra", "SK")
        HistoricalSK = old.get_model("sentra", "HistoricalSK")
        user = User.objects.create(username="lama")
        made = []
        for code, number in (("72.03", "518/176/2020"), ("72.02", "518/176/2020")):
            sentra = Sentra.objects.create(
                region=Region.objects.get(code=code), name="Sentra Lama", komoditas="abon", alamat="Jl. 1"
            )
            pengelola = Pengelola.objects.create(
                sentra=sentra, name=f"Pengelola {code}", bentuk_hukum="koperasi", alamat="Jl. 1"
            )
            sk = SK.objects.create(
                pengelola=pengelola,
                nomor=number,
                tanggal=datetime.date(2020, 5, 4),
                penandatangan_nama="Kasman Lassa",
                penandatangan_kapasitas="definitif",
                file="sk/x.pdf",
                sha256="a" * 64,
                ditetapkan_oleh=user,
            )
            HistoricalSK.objects.create(
                id=sk.pk,
                pengelola=pengelola,
                nomor=number,
                tanggal=sk.tanggal,
                penandatangan_nama="Kasman Lassa",
                penandatangan_kapasitas="definitif",
                file="sk/x.pdf",
                sha256="a" * 64,
                status="ditetapkan",
                nomor_register="",
                ditetapkan_oleh=user,
                created_at=sk.created_at,
                history_date=sk.created_at,
                history_type="+",
            )
            made.append((sk.pk, code))

        new = _migrate(AFTER)
        SK = new.get_model("sentra", "SK")
        tokens = set()
        for pk, code in made:
            sk = SK.objects.get(pk=pk)
            assert (sk.region_id, sk.tahun) == (code, 2020)
            assert len(sk.verification_token) >= 24 and sk.verification_token not in tokens
            tokens.add(sk.verification_token)
            version = new.get_model("sentra", "HistoricalSK").objects.get(id=pk)
            assert (version.region_id, version.tahun, version.verification_token) == (code, 2020, sk.verification_token)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
