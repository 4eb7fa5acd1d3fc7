"""Reads for the task and process pages: everything an official needs to decide, in few queries."""

from django.utils import timezone

from sentra.models import Dokumen
from sentra.documents import Perihal
from sentra.selectors import pengelola_changes
from workdays.calendar import BusinessCalendar

from .deadlines import deadline_label
from .models import Keputusan, LegalisasiProcess, TaskDeadline


def proposal_summary(process: LegalisasiProcess) -> dict:
    """The proposal as the official sees it at the moment of deciding."""
    pengelola = process.pengelola
    return {
        "process": process,
        "pengelola": pengelola,
        "sentra": pengelola.sentra,
        "region": process.region,
        "pengurus": list(pengelola.pengurus_set.all()),
        "anggota": list(pengelola.anggota_set.all()),
        "dokumen": list(
            Dokumen.objects.filter(pengelola=pengelola, superseded=False).select_related("uploaded_by")
        ),
        "pemeriksaan_aset": pengelola.pemeriksaan_aset_set.select_related("diperiksa_oleh").first(),
        "sk_list": list(pengelola.sk_set.all()),
        "keputusan": _with_step_titles(process, Keputusan.objects.filter(process=process).select_related("oleh")),
        "target_sk": process.target_sk,
        # An amendment or renewal: what it changes in the SK in force's data, old -> new.
        "changes": (
            pengelola_changes(process.target_sk.pengelola, pengelola)
            if process.target_sk_id and process.target_sk.pengelola_id != pengelola.pk else None
        ),
    }


def _with_step_titles(process, keputusan_qs) -> list:
    flow = process.flow_class.instance
    rows = list(keputusan_qs)
    for row in rows:
        row.langkah_title = flow.node(row.langkah).task_title
    return rows


def usulan_initial(pengelola) -> dict:
    """The current lists of people, as initial rows of the revision forms."""
    return {
        "pengurus": list(pengelola.pengurus_set.values("nama", "jabatan", "nik", "telepon")),
        "anggota": list(
            pengelola.anggota_set.values(
                "nama_usaha", "pemilik", "nik_pemilik", "nib", "kbli", "produk", "tenaga_kerja", "telepon"
            )
        ),
    }


def task_deadline_label(task, process: LegalisasiProcess) -> dict | None:



    deadline = TaskDeadline.objects.filter(task_id=task.pk).first()
    return deadline_label(deadline, BusinessCalendar(process.region), timezone.localdate())


def draft_perihal(process: LegalisasiProcess) -> Perihal | None:
    """What the draft SK of ``process`` amends, renews or revokes, with the words it needs: the pokok
    perubahan typed at the start, or the revocation's reason and the evaluation's account."""
    if not process.target_sk_id:
        return None
    pokok = (
        Keputusan.objects.filter(process=process, langkah__in=("perubahan", "perpanjangan"))
        .order_by("pk").values_list("catatan", flat=True).first() or ""
    )
    return Perihal(
        jenis=process.jenis, target=process.target_sk, pokok=pokok,
        alasan=process.get_revocation_reason_display() if process.revocation_reason else "",
        uraian=process.revocation_grounds,
    )
