"""The census of a sentra's IKM members: the Excel template, the import (checked row by row, then
saved all rows or none), the exports and the comparison with the members an SK's Lampiran lists.

An import is an ``ImporAnggota`` row moved along by two Celery jobs (``sentra.tasks``):

    menunggu -> memeriksa -> ada_kesalahan            (the report: row, column, message)
                          -> siap -> (user confirms) -> menyimpan -> selesai

Checking writes nothing but the job's own row; saving re-reads and re-checks the file (members may
have been added elsewhere meanwhile) and inserts every row, their history rows and the job's
``selesai`` in one transaction. A worker that dies leaves the job in ``memeriksa``/``menyimpan`` and
no member: Celery hands the message to another worker (acks late), and the page offers to start a
job that has not moved for ``STALE_AFTER`` again (``impor_restart``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from accounts.phone import normalize_phone
from audit.models import Action
from audit.services import event_record
from core.errors import RuleViolation
from core import spreadsheet
from core.validators import validate_single_line

from .models import AnggotaIKM, ImporAnggota, Sentra
from .validators import ascii_digits, validate_kbli, validate_nib, validate_nik

logger = logging.getLogger(__name__)

Status = ImporAnggota.Status

# Audit actions of the census (labelled in ``audit.models.Action``, so the auditor timeline reads them).
AUDIT_UPLOAD = Action.CENSUS_UPLOAD  # a file uploaded for checking
AUDIT_IMPORT = Action.CENSUS_IMPORT  # its rows saved as members
AUDIT_CANCEL = Action.CENSUS_CANCEL
AUDIT_EXPORT = Action.CENSUS_EXPORT  # members exported (with or without NIK)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    width: int


COLUMNS = (
    Column("nama_usaha", "Nama usaha", True, 30),
    Column("pemilik", "Nama pemilik", True, 26),
    Column("nik_pemilik", "NIK pemilik", True, 20),
    Column("nib", "NIB", True, 17),
    Column("kbli", "KBLI", True, 8),
    Column("produk", "Produk", True, 26),
    Column("tenaga_kerja", "Tenaga kerja", True, 12),
    Column("telepon", "Telepon", False, 18),
)
READ_COLUMNS = [spreadsheet.Column(c.key, c.header, c.required) for c in COLUMNS]
TEXT_KEYS = ("nama_usaha", "pemilik", "produk")
DIGIT_KEYS = ("nik_pemilik", "nib", "kbli", "tenaga_kerja", "telepon")
IDENTIFIER_KEYS = ("nik_pemilik", "nib", "kbli", "telepon")  # every digit counts: a rounded float is refused
MAX_WORKERS = 99_999

PROGRESS_EVERY = 250  # rows between two progress writes
ERRORS_KEPT = 1_000  # the report lists at most this many problems (the count is kept whole)
STALE_AFTER = datetime.timedelta(minutes=5)
RUNNING = (Status.MENUNGGU, Status.MEMERIKSA, Status.MENYIMPAN)
_LOCK_KEY = 72_0014_3  # PostgreSQL advisory lock: one census import saves at a time (NIK/NIB unique across sentra)


def max_rows() -> int:
    return settings.SKSENTRA_CENSUS_MAX_ROWS


# --- the template -------------------------------------------------------------------------------

def template_xlsx() -> bytes:
    """The workbook a pengusul fills in: the header row, every column formatted as text (so that a NIK
    keeps its 16 digits), and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Anggota IKM"
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = "@"
        sheet.cell(row=1, column=index).font = Font(bold=True)
        for row in range(2, 1002):  # a column's style reaches only the cells it is given to
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("Petunjuk")
    for line in (
        _("Isi satu baris per unit IKM pada lembar \u201cAnggota IKM\u201d, mulai baris 2. Jangan ubah judul kolom."),
        _("Kolom wajib: Nama usaha, Nama pemilik, NIK pemilik, NIB, KBLI, Produk, Tenaga kerja. Telepon boleh kosong."),
        _("NIK: 16 angka, diawali kode provinsi yang sah. NIB: 13 angka. KBLI: 5 angka kategori C (10xxx sampai 33xxx)."),
        _("Ketik NIK dan NIB sebagai teks (kolom sudah berformat Teks) agar angkanya tidak dibulatkan Excel."),
        _("NIK dan NIB tidak boleh berulang dalam berkas, dan tidak boleh sudah menjadi anggota sentra mana pun."),
        _("Jangan isi rumus (=...): sel berisi rumus ditolak."),
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- reading and checking ----------------------------------------------------------------------

@dataclass
class Problem:
    row: int
    column: str  # the letter, "" for the whole row/file
    header: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _cell_text(raw, *, digits: bool, identifier: bool = False) -> str:
    """A cell as the text it stands for; raises ValidationError for what cannot be a value here."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise ValidationError(_("Sel berisi nilai benar/salah; ketik isiannya."))
    if isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
        raise ValidationError(_("Sel berisi tanggal atau jam; ketik isiannya sebagai teks."))
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
            raise ValidationError(_("Sel berisi angka yang tidak sah."))
        if isinstance(raw, float) and not raw.is_integer():
            return str(raw)
        text = str(int(raw))
        # Excel keeps 15 significant digits of a number: a 16-digit NIK typed as a number has already
        # lost its last digit, whatever the file says now.
        if identifier and len(text.lstrip("-")) > 15:
            raise ValidationError(
                _("Angka sepanjang ini dibulatkan Excel bila disimpan sebagai angka (digit terakhirnya menjadi 0). "
                  "Format kolom sebagai Teks dan ketik ulang.")
            )
        return text
    text = str(raw).strip()
    return ascii_digits(text) if digits else text


def _field_check(key: str, text: str) -> str:
    """One column's value, cleaned, or ValidationError with the message for the user."""
    field = AnggotaIKM._meta.get_field(key)
    if not text:
        if key == "telepon":
            return ""
        raise ValidationError(_("Wajib diisi."))
    if key in TEXT_KEYS:
        validate_single_line(text)
        if len(text) > field.max_length:
            raise ValidationError(
                _("Terlalu panjang: %(n)d karakter, paling banyak %(max)d.") % {"n": len(text), "max": field.max_length}
            )
        return text
    if key == "nik_pemilik":
        validate_nik(text)
    elif key == "nib":
        validate_nib(text)
    elif key == "kbli":
        validate_kbli(text)
    elif key == "tenaga_kerja":
        if not (text.isascii() and text.isdigit()) or len(text) > 6 or not (1 <= int(text) <= MAX_WORKERS):
            raise ValidationError(
                _("Tenaga kerja harus bilangan bulat 1 sampai %(max)s.") % {"max": f"{MAX_WORKERS:,}".replace(",", ".")}
            )
        return int(text)
    elif key == "telepon":
        validate_single_line(text)
        return normalize_phone(text)
    return text


def _columns_found(job: ImporAnggota) -> dict[str, int]:
    """Where each column of the template is in the job's sheet (0-based), for the report's column letters:
    the header row read again on its own (``xlsx_rows`` matches columns by title, in any order)."""
    with job.file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=False)
        try:
            for cells in workbook.worksheets[0].iter_rows(max_col=spreadsheet.MAX_COLUMNS, values_only=True):
                if any(v is not None and str(v).strip() for v in cells):
                    titles = {spreadsheet._norm(v): i for i, v in enumerate(cells) if v is not None}
                    return {c.key: titles[spreadsheet._norm(c.header)] for c in COLUMNS
                            if spreadsheet._norm(c.header) in titles}
        finally:
            workbook.close()
    return {}


def _read(job: ImporAnggota, progress) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Every row of the job's file checked on its own and against the others of the file and the
    members of every sentra; the clean rows (with their row numbers) and the problems."""
    problems: list[Problem] = []
    # core.spreadsheet reads the workbook (openpyxl, read-only): it refuses, before any row, what is not
    # a plain .xlsx, a missing required column, a formula in any cell and too many rows.
    try:
        with job.file.open("rb") as handle:
            data = spreadsheet.xlsx_rows(handle, READ_COLUMNS, max_rows(), max_bytes=settings.SKSENTRA_MAX_UPLOAD_BYTES)
    except RuleViolation as exc:
        return [], [Problem(0, "", "", " ".join(exc.messages))]
    if not data:
        return [], [Problem(0, "", "", _("Berkas ini tidak berisi baris anggota: isi templat mulai baris 2."))]
    columns = _columns_found(job)
    letters = {key: get_column_letter(index + 1) for key, index in columns.items()}
    headers = {c.key: c.header for c in COLUMNS}
    progress(0, len(data))
    clean: list[tuple[int, dict]] = []
    first_nik: dict[str, int] = {}
    first_nib: dict[str, int] = {}
    for done, (number, cells) in enumerate(data, 1):
        values, ok = {}, True
        for column in COLUMNS:
            raw = cells.get(column.key)
            try:
                values[column.key] = _field_check(column.key, _cell_text(raw, digits=column.key in DIGIT_KEYS,
                                                                          identifier=column.key in IDENTIFIER_KEYS))
            except ValidationError as exc:
                ok = False
                problems.append(Problem(number, letters.get(column.key, ""), column.header, _message(exc)))
        for key, first in (("nik_pemilik", first_nik), ("nib", first_nib)):
            value = values.get(key)
            if value and value in first:
                ok = False
                problems.append(Problem(number, letters[key], headers[key],
                                        _("%(label)s %(value)s sudah ada di baris %(row)d berkas ini.")
                                        % {"label": headers[key].split()[0], "value": value, "row": first[value]}))
            elif value:
                first[value] = number
        if ok:
            clean.append((number, values))
        if done % PROGRESS_EVERY == 0:
            progress(done, len(data))
    problems += _known_members(first_nik, first_nib, job.sentra, letters, headers)
    progress(len(data), len(data))
    bad_rows = {p.row for p in problems}
    problems.sort(key=lambda p: (p.row, p.column))
    return [(n, v) for n, v in clean if n not in bad_rows], problems


def _known_members(niks: dict[str, int], nibs: dict[str, int], sentra: Sentra, letters, headers) -> list[Problem]:
    """Rows whose NIK or NIB is already a member of a sentra (this one or another): one query per
    thousand values."""
    problems = []
    for key, wanted in (("nik_pemilik", niks), ("nib", nibs)):
        values = list(wanted)
        for start in range(0, len(values), 1000):
            chunk = values[start:start + 1000]
            known = (AnggotaIKM.objects.filter(**{f"{key}__in": chunk})
                     .values_list(key, "sentra_id", "sentra__name", "sentra__region__name"))
            for value, sentra_id, sentra_name, region_name in known:
                row = wanted.get(value)
                if row is None:
                    continue
                wanted.pop(value)  # one message per row and column
                where = (_("sudah terdaftar sebagai anggota sentra ini") if sentra_id == sentra.pk
                         else _("sudah terdaftar sebagai anggota sentra lain: %(sentra)s (%(region)s)")
                         % {"sentra": sentra_name, "region": region_name})
                problems.append(Problem(row, letters[key], headers[key],
                                        _("%(label)s %(value)s %(where)s.")
                                        % {"label": headers[key].split()[0], "value": value, "where": where}))
    return problems


# --- the job ------------------------------------------------------------------------------------

def _enqueue(task_name: str, pk: int) -> None:
    """Hand the job to a worker when the transaction commits; if the broker is down the job waits and
    its page offers to start it again."""

    def send():
        from . import tasks  # the task module imports this one

        try:
            getattr(tasks, task_name).delay(pk)
        except Exception:
            logger.warning("broker unavailable; census import %s waits for a restart", pk, exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def impor_create(*, sentra: Sentra, upload, user) -> ImporAnggota:
    """Keep the uploaded workbook and queue its check. Refuses (RuleViolation on ``file``) what is not an
    .xlsx a spreadsheet program wrote; nothing of the rows is read here."""
    limit = settings.SKSENTRA_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise RuleViolation(_("Berkas terlalu besar (paling besar %(mb)d MB).") % {"mb": limit // (1024 * 1024)},
                            field="file")
    if not upload.name.lower().endswith(".xlsx"):
        raise RuleViolation(_("Unggah berkas Excel .xlsx (templat yang disediakan)."), field="file")
    try:
        spreadsheet.xlsx_check(upload, max_bytes=limit)
    except RuleViolation as exc:
        raise RuleViolation(" ".join(exc.messages), field="file") from exc
    upload.seek(0)
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    job = ImporAnggota(sentra=sentra, created_by=user, sha256=digest, original_name=upload.name[:255])
    job.file.save(f"{digest[:16]}.xlsx", ContentFile(content), save=False)
    job.save()
    event_record(action=AUDIT_UPLOAD, actor=user, obj=job,
                 details={"sentra": sentra.pk, "sha256": digest, "nama": job.original_name})
    _enqueue("impor_check", job.pk)
    return job


def _progress_writer(job: ImporAnggota, *, in_transaction: bool):
    """Where the job tells how far it is: its row while checking (committed at once), the cache while
    saving (the row's changes stay invisible until the save commits)."""

    def write(done: int, total: int) -> None:
        if in_transaction:
            cache.set(progress_key(job.pk), {"processed": done, "total": total}, timeout=3600)
        else:
            job.processed_rows, job.total_rows = done, total
            job.save(update_fields=["processed_rows", "total_rows", "updated_at"])

    return write


def progress_key(pk: int) -> str:
    return f"sentra:impor:{pk}:progress"


def impor_check(pk: int) -> None:
    """The check job: every row against the rules; the report or ``siap``. Writes no member."""
    with transaction.atomic():
        job = ImporAnggota.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status not in (Status.MENUNGGU, Status.MEMERIKSA):
            return
        job.status = Status.MEMERIKSA
        job.save(update_fields=["status", "updated_at"])
    job = ImporAnggota.objects.select_related("sentra__region").get(pk=pk)
    clean, problems = _read(job, _progress_writer(job, in_transaction=False))
    with transaction.atomic():
        current = ImporAnggota.objects.select_for_update().get(pk=pk)
        if current.status != Status.MEMERIKSA:  # cancelled meanwhile
            return
        _report(current, clean, problems)
        current.status = Status.ADA_KESALAHAN if problems else Status.SIAP
        current.save()


def _report(job: ImporAnggota, clean, problems) -> None:
    job.errors = [p.as_dict() for p in problems[:ERRORS_KEPT]]
    job.error_count = len(problems)
    job.total_rows = job.processed_rows = len(clean) + len({p.row for p in problems if p.row})


@transaction.atomic
def impor_confirm(*, job: ImporAnggota, user) -> ImporAnggota:
    """The user confirms a file without errors: queue the save."""
    job = ImporAnggota.objects.select_for_update().get(pk=job.pk)
    if job.status != Status.SIAP:
        raise RuleViolation(_("Impor ini tidak dapat disimpan: statusnya %(status)s.") % {"status": job.get_status_display()})
    job.status, job.confirmed_by, job.processed_rows = Status.MENYIMPAN, user, 0
    job.save(update_fields=["status", "confirmed_by", "processed_rows", "updated_at"])
    _enqueue("impor_save", job.pk)
    return job


@transaction.atomic
def impor_cancel(*, job: ImporAnggota, user) -> ImporAnggota:
    job = ImporAnggota.objects.select_for_update().get(pk=job.pk)
    if job.status in (Status.MENYIMPAN, Status.SELESAI):
        raise RuleViolation(_("Impor yang sedang atau sudah disimpan tidak dapat dibatalkan."))
    job.status = Status.DIBATALKAN
    job.save(update_fields=["status", "updated_at"])
    event_record(action=AUDIT_CANCEL, actor=user, obj=job, details={"sentra": job.sentra_id})
    return job


def impor_is_stale(job: ImporAnggota) -> bool:
    return job.status in RUNNING and job.updated_at < timezone.now() - STALE_AFTER


@transaction.atomic
def impor_restart(*, job: ImporAnggota, user) -> ImporAnggota:
    """Start a job again whose worker died (nothing moved for ``STALE_AFTER``): from its status."""
    job = ImporAnggota.objects.select_for_update().get(pk=job.pk)
    if not impor_is_stale(job):
        raise RuleViolation(_("Impor ini masih berjalan; tunggu sebentar."))
    job.save(update_fields=["updated_at"])
    _enqueue("impor_save" if job.status == Status.MENYIMPAN else "impor_check", job.pk)
    return job


BATCH = 500


def impor_save(pk: int) -> None:
    """The save job: the file is read and checked again, then every row, its history row and the
    job's ``selesai`` are written in one transaction (all rows or none)."""
    with transaction.atomic():
        job = (ImporAnggota.objects.select_for_update(of=("self",)).select_related("sentra__region", "confirmed_by")
               .filter(pk=pk).first())
        if job is None or job.status != Status.MENYIMPAN:
            return  # done already (a message delivered twice), or cancelled
        if connection.vendor == "postgresql":
            # Two imports saving at once could each add the same NIB to another sentra.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        # Reading and checking is the first half of the bar, inserting the second.
        write = _progress_writer(job, in_transaction=True)
        clean, problems = _read(job, lambda done, total: write(done, 2 * total))
        if problems:
            # Something changed since the check (a member saved elsewhere): nothing is saved.
            _report(job, clean, problems)
            job.status = Status.ADA_KESALAHAN
            job.save()
            return
        members = [AnggotaIKM(sentra=job.sentra, impor=job, **values) for _, values in clean]
        total = len(members)
        for start in range(0, total, BATCH):
            bulk_create_with_history(members[start:start + BATCH], AnggotaIKM, batch_size=BATCH,
                                     default_user=job.confirmed_by, default_change_reason="impor Excel")
            write(total + min(start + BATCH, total), 2 * total)
        job.status, job.saved_rows, job.finished_at = Status.SELESAI, total, timezone.now()
        job.processed_rows = job.total_rows = total
        job.save()
        event_record(action=AUDIT_IMPORT, actor=job.confirmed_by, obj=job,
                     details={"sentra": job.sentra_id, "baris": total, "sha256": job.sha256})
    cache.delete(progress_key(pk))


def impor_progress(job: ImporAnggota) -> dict:
    """What the page's progress bar shows."""
    processed, total = job.processed_rows, job.total_rows
    if job.status == Status.MENYIMPAN:
        live = cache.get(progress_key(job.pk)) or {}
        processed, total = live.get("processed", 0), live.get("total", total) or total
    percent = 100 if job.status in (Status.SELESAI, Status.SIAP, Status.ADA_KESALAHAN) else (
        int(processed * 100 / total) if total else 0)
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "processed": processed,
        "total": total,
        "percent": min(percent, 100),
        "running": job.status in RUNNING,
        "stale": impor_is_stale(job),
    }


# --- the SK's Lampiran --------------------------------------------------------------------------

_DIGEST_FIELDS = ("nib", "nik_pemilik", "nama_usaha", "pemilik", "kbli", "produk", "tenaga_kerja")


def _digest(rows) -> str:
    canonical = json.dumps(sorted([list(map(str, r)) for r in rows]), ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def lampiran_snapshot(members) -> dict:
    """The members an SK's Lampiran lists, frozen at numbering: ids, number and a digest of their data."""
    rows = list(members.values_list("pk", *_DIGEST_FIELDS))
    return {"ids": sorted(r[0] for r in rows), "jumlah": len(rows), "sha256": _digest([r[1:] for r in rows])}


def lampiran_outdated(sentra: Sentra, sks) -> list:
    """The SKs among ``sks`` (of this sentra's pengelola, with a frozen Lampiran) whose list of members no
    longer matches the sentra's members: one query for the members, whatever the number of SKs."""
    frozen = [sk for sk in sks if sk.lampiran_anggota.get("sha256")]
    if not frozen:
        return []
    digest = _digest(AnggotaIKM.objects.filter(sentra=sentra).values_list(*_DIGEST_FIELDS))
    return [sk for sk in frozen if sk.lampiran_anggota["sha256"] != digest]
