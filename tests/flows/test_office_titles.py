"""Steps that name an office name it as the region does (a merged dinas): the inbox, the task page
and the message about the task."""

import pytest

from flows.models import Hasil
from notifications.models import Kind, Notification
from produk_hukum.models import KantorDaerah
from tests.helpers import act, client_for, decision, task_of, task_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged_dinas(regions):
    KantorDaerah.objects.update_or_create(region=regions["72.03"], defaults={
        "dinas_perindustrian": "Dinas Koperasi, UKM, Perindustrian dan Perdagangan",
        "dinas_perindustrian_singkatan": "DKUKMPP",
        "bpkad": "Badan Keuangan dan Aset Daerah", "bpkad_singkatan": "BKAD",
    })


def test_the_region_s_own_office_names_are_in_the_titles(merged_dinas, donggala, poso, start_proposal):
    mine, theirs = start_proposal(donggala["pengusul"]), start_proposal(poso["pengusul"])
    task = task_of(mine, "verifikasi_dinas")
    client = client_for(donggala["verifikator_dinas"])
    assert "Verifikasi DKUKMPP" in client.get("/legalisasi/inbox/").content.decode()
    assert "<h1>Verifikasi DKUKMPP</h1>" in client.get(task_url(task)).content.decode()
    told = Notification.objects.get(task=task, kind=Kind.TASK_CREATED)
    assert told.context["task"] == "Verifikasi DKUKMPP"
    # a region without its own names keeps the generic ones
    assert Notification.objects.filter(task=task_of(theirs, "verifikasi_dinas"), context__task="Verifikasi Disperindag").exists()
    act(donggala["verifikator_dinas"], mine, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    aset = task_of(mine, "verifikasi_aset")
    assert Notification.objects.get(task=aset, kind=Kind.TASK_CREATED).context["task"] == "Verifikasi aset BKAD"
