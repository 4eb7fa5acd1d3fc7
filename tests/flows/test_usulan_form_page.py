"""The proposal form tells a newcomer what to fill in: required documents marked for the chosen legal
form, no "*" or "Hapus" on blank spare rows, a phone hint saying what to type; every label says what
its field is for."""

import re

import pytest

from sentra.choices import BentukHukum, JenisDokumen, required_documents
from tests.helpers import client_for, task_of, task_url
from tests.helpers import act, decision

pytestmark = pytest.mark.django_db


def _fieldset(html, legend):
    return html.split(f"<legend>{legend}</legend>", 1)[1].split("</fieldset>", 1)[0]


def test_spare_rows_carry_no_star_and_no_hapus_and_the_minimum_rows_do(donggala):
    html = client_for(donggala["pengusul"]).get("/legalisasi/usulan/").content.decode()
    assert " *</label>" in _fieldset(html, "Anggota 1")
    spare = _fieldset(html, "Anggota 6")  # five anggota are the minimum; the sixth is spare
    assert " *</label>" not in spare and "Hapus" not in spare
    assert " *</label>" not in _fieldset(html, "Pengurus 2") and "Hapus" not in _fieldset(html, "Pengurus 2")
    assert "Hapus" not in html.split('id="anggota-empty"', 1)[1].split("</template>", 1)[0]


def test_each_document_says_which_legal_forms_require_it_and_the_phone_hint_says_what_to_type(donggala):
    html = client_for(donggala["pengusul"]).get("/legalisasi/usulan/").content.decode()
    for jenis in JenisDokumen:
        forms = re.search(rf'name="dokumen-{jenis.value}"[^>]*data-wajib-untuk="([^"]*)"|data-wajib-untuk="([^"]*)"[^>]*name="dokumen-{jenis.value}"', html)
        assert forms is not None, jenis
        listed = set((forms.group(1) or forms.group(2) or "").split())
        assert listed == {b.value for b in BentukHukum if jenis in required_documents(b.value)}, jenis
    assert "sksentra/formset.js" in html
    assert "0812" in _fieldset(html, "Pengurus 1") and "Disimpan sebagai 62" not in html


def test_the_bpkad_page_labels_each_note_for_what_it_is(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision("disetujui"))
    client = client_for(donggala["verifikator_aset"])
    task = task_of(process, "verifikasi_aset")
    client.post(task_url(task, "assign"))
    html = client.get(task_url(task)).content.decode()
    labels = re.findall(r"<label[^>]*>([^<*]+?)(?: \*)?</label>", html)
    assert len(labels) == len(set(labels)), sorted(labels)
    # The asset lines are BPKAD's own records on the sentra's asset page, linked from here, not typed here.
    assert f"/aset/sentra/{process.pengelola.sentra_id}/" in html and "Catatan pemeriksaan aset" not in labels
