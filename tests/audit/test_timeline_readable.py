"""The auditor's timeline speaks the officials' language: step titles, choice labels, people's names,
WITA, yes/no in Indonesian, and a revision shown as what actually changed."""

import re

import pytest

from flows.models import Hasil, Keputusan
from flows.steps import STEP
from oversight.auditor_selectors import data_changes
from tests.flows.test_legalisasi_http import start_over_http, usulan_post
from tests.helpers import act, client_for, decision, task_of, task_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(donggala):
    """A proposal returned once and revised: one anggota IKM added, one pengurus's phone changed."""
    process = start_over_http(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DIKEMBALIKAN, "Tambah anggota."))
    post = usulan_post(process.region, anggota=7, files=False, **{"perbaikan-catatan": "Anggota ditambah."})
    post["pengurus-0-telepon"] = "081299990000"
    response = client_for(donggala["pengusul"]).post(task_url(task_of(process, "perbaikan")), post)
    assert response.status_code == 302
    return process, post


def test_a_revision_is_shown_as_exactly_what_changed(revised):
    process, post = revised
    returned_at = Keputusan.objects.get(process=process, langkah="verifikasi_dinas").dibuat
    people = [e for e in data_changes(process) if e.title.startswith(("Pengurus", "Anggota IKM"))]
    assert len([e for e in people if e.at < returned_at]) == 3 + 6  # the first submission: each row added
    revision = [e for e in people if e.at > returned_at]
    assert [e.title for e in revision] == [
        f"Pengurus {post['pengurus-0-nama']} diubah",
        f"Anggota IKM ditambahkan: {post['anggota-6-nama_usaha']}",
    ]
    (label, old, new), = revision[0].diffs
    assert label == "telepon" and old.startswith("62") and new == "6281299990000"
    assert all("dihapus" not in e.title for e in people)


def test_the_timeline_shows_titles_labels_names_and_wita(revised, donggala, province):
    process, _post = revised
    html = client_for(province["auditor"]).get(f"/audit/usulan/{process.pk}/").content.decode()
    assert f"{STEP['verifikasi_dinas'].title}: <strong>Dikembalikan untuk perbaikan</strong>" in html
    assert "verifikasi_dinas:" not in html
    assert donggala["pengusul"].get_full_name() in html and donggala["verifikator_dinas"].get_full_name() in html
    for raw in ("NEW", "DONE", "False", "True", "+00:00"):
        assert not re.search(rf"(→|<ins>)\s*{re.escape(raw)}\b", html), raw
    assert not re.search(r"oleh: (<del>[^<]*</del> → )?<ins>\d+</ins>", html)  # a name, not a user id
    times = re.findall(r"\d{1,2} \w{3} \d{4} \d\d:\d\d(?::\d\d)?( WITA)?", html)
    assert times and all(times), "a time without WITA"
