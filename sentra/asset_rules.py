"""Which basis of use (dasar pemanfaatan) of a DAK asset (BMD) is lawful for which legal form of pengelola.

ONE table, ``RULES[(legal form, basis)]``, read by the asset-line form and service, BPKAD's decision
(``asset_services.asset_blockers``), the draft SK's wording and the docs test. The law:

- PP 27/2014 as amended by PP 28/2020 (Pengelolaan Barang Milik Negara/Daerah) and Permendagri
  19/2016 (Pedoman Pengelolaan Barang Milik Daerah);
- *penggunaan* (PP 27/2014 art. 1(9)): the OPD uses the asset for its duties, its UPTD included
  (with or without PPK-BLUD: a UPTD is a unit of the OPD, Permendagri 12/2017; a BLUD is a UPTD's
  financial pattern, Permendagri 79/2018). No agreement. A UPTD is inside the Pemda, so it cannot
  rent, borrow or run a KSP on its own Pemda's asset (pemanfaatan is by "pihak lain", art. 1(10)).
- *sewa* (art. 1(11)): at most 5 years, extendable (art. 32(1) as amended by PP 28/2020); agreement.
- *kerja sama pemanfaatan* (art. 1(13)): at most 30 years (art. 36(1)); agreement.
- *pinjam pakai* (art. 1(12) as amended by PP 28/2020): only between the central government, regional
  governments and a Pemerintah Desa; at most 5 years, extendable once (art. 40(2)). A BUM Desa or BUM
  Desa Bersama is a badan hukum founded by the desa (UU 6/2014 as amended, art. 1(6); PP 11/2021
  art. 1(1)), NOT the Pemerintah Desa (UU 6/2014 art. 1(3)): no pinjam pakai to it, nor to a
  koperasi, a BUMD (a company) or a board. None of our legal forms may borrow.
- *penyertaan modal* is a transfer (pemindahtanganan, art. 54(1)(d)) of a regional asset into a BUMD's
  capital, set by a Perda (UU 23/2014 art. 304(2); PP 54/2017 art. 21): only a BUMD, with its Perda.
- A board that is no legal person (pengurus non-badan-hukum) can only rent (sewa with a person,
  Permendagri 19/2016 art. 92: "pihak lain" includes perorangan) [inferred]: it cannot bind itself to a
  30-year KSP.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import BentukHukum


class DasarPemanfaatan(models.TextChoices):
    """The basis on which the pengelola uses one asset line."""

    BELUM = "belum", _("Belum ada dasar pemanfaatan")
    PENGGUNAAN = "penggunaan", _("Penggunaan oleh OPD (termasuk UPTD, dengan atau tanpa PPK-BLUD)")
    SEWA = "sewa", _("Sewa")
    KSP = "ksp", _("Kerja sama pemanfaatan (KSP)")
    PINJAM_PAKAI = "pinjam_pakai", _("Pinjam pakai")
    PENYERTAAN_MODAL = "penyertaan_modal", _("Penyertaan modal daerah (pemindahtanganan dengan Perda)")


# How the draft SK names a basis inside a sentence (proper Indonesian capitalisation).
BASIS_PHRASE = {
    DasarPemanfaatan.PENGGUNAAN: "digunakan oleh {opd}",
    DasarPemanfaatan.SEWA: "Sewa",
    DasarPemanfaatan.KSP: "Kerja Sama Pemanfaatan",
    DasarPemanfaatan.PINJAM_PAKAI: "Pinjam Pakai",
    DasarPemanfaatan.PENYERTAAN_MODAL: "Penyertaan Modal Daerah",
}


@dataclass(frozen=True)
class Rule:
    allowed: bool
    max_years: int | None = None  # a term longer than this is refused; None: no term (penggunaan, transfer)
    max_extensions: int | None = None  # None: no limit on extensions (or none apply)
    agreement_required: bool = False
    perda_required: bool = False
    article: str = ""
    reason: str = ""  # why it is refused, said to BPKAD

    @property
    def extendable(self) -> bool:
        return self.max_extensions is None or self.max_extensions > 0


# The law of each basis, whoever the party (PP 27/2014 jo. PP 28/2020).
_BASIS = {
    DasarPemanfaatan.PENGGUNAAN: Rule(True, article="PP 27/2014 Pasal 1 angka 9"),
    DasarPemanfaatan.SEWA: Rule(True, 5, None, True, article="PP 27/2014 Pasal 32 ayat (1) jo. PP 28/2020"),
    DasarPemanfaatan.KSP: Rule(True, 30, None, True, article="PP 27/2014 Pasal 36 ayat (1)"),
    DasarPemanfaatan.PINJAM_PAKAI: Rule(True, 5, 1, True, article="PP 27/2014 Pasal 40 ayat (2) jo. PP 28/2020"),
    DasarPemanfaatan.PENYERTAAN_MODAL: Rule(
        True, perda_required=True, article="PP 27/2014 Pasal 54 ayat (1) huruf d; UU 23/2014 Pasal 304"
    ),
}

_NOT_PEMDA = _("{form} berada di luar Pemda: bukan penggunaan oleh OPD")
_NOT_GOVERNMENT = _("pinjam pakai hanya antarpemerintah (Pusat, Pemda, Pemerintah Desa); {form} bukan pemerintah")
_UPTD_INSIDE = _("UPTD adalah bagian dari OPD Pemda: asetnya digunakan (penggunaan), bukan disewa atau dipinjam")
_ONLY_BUMD = _("penyertaan modal daerah hanya ke BUMD, dengan Perda")
_NO_KSP_BOARD = _("pengurus non-badan-hukum tidak dapat menjadi mitra kerja sama pemanfaatan")

# Per legal form: the bases it may have, and why the others are refused.
_REFUSED: dict[str, dict[str, str]] = {
    BentukHukum.UPTD: {
        DasarPemanfaatan.SEWA: _UPTD_INSIDE,
        DasarPemanfaatan.KSP: _UPTD_INSIDE,
        DasarPemanfaatan.PINJAM_PAKAI: _UPTD_INSIDE,
        DasarPemanfaatan.PENYERTAAN_MODAL: _ONLY_BUMD,
    },
    BentukHukum.BUMD: {
        DasarPemanfaatan.PENGGUNAAN: _NOT_PEMDA,
        DasarPemanfaatan.PINJAM_PAKAI: _NOT_GOVERNMENT,
    },
    **{
        form: {
            DasarPemanfaatan.PENGGUNAAN: _NOT_PEMDA,
            DasarPemanfaatan.PINJAM_PAKAI: _NOT_GOVERNMENT,
            DasarPemanfaatan.PENYERTAAN_MODAL: _ONLY_BUMD,
        }
        for form in (BentukHukum.BUMDES, BentukHukum.BUMDES_BERSAMA, BentukHukum.KOPERASI)
    },
    BentukHukum.PENGURUS: {
        DasarPemanfaatan.PENGGUNAAN: _NOT_PEMDA,
        DasarPemanfaatan.KSP: _NO_KSP_BOARD,
        DasarPemanfaatan.PINJAM_PAKAI: _NOT_GOVERNMENT,
        DasarPemanfaatan.PENYERTAAN_MODAL: _ONLY_BUMD,
    },
}

RULES: dict[tuple[str, str], Rule] = {
    (form, basis): (
        Rule(False, base.max_years, base.max_extensions, base.agreement_required, base.perda_required,
             base.article, reason)
        if (reason := _REFUSED[form].get(basis)) is not None
        else base
    )
    for form in BentukHukum.values
    for basis, base in _BASIS.items()
}

# Forms inside the Pemda: an asset on the OPD's KIB is used by its own unit (penggunaan) without a
# further basis, so a line left "belum" is read as penggunaan for them.
INSIDE_PEMDA = frozenset({BentukHukum.UPTD})


def effective_basis(bentuk_hukum: str, basis: str) -> str:
    if basis == DasarPemanfaatan.BELUM and bentuk_hukum in INSIDE_PEMDA:
        return DasarPemanfaatan.PENGGUNAAN
    return basis


def form_label(bentuk_hukum: str) -> str:
    try:
        return str(BentukHukum(bentuk_hukum).label)
    except ValueError:
        return bentuk_hukum


def basis_problems(
    bentuk_hukum: str,
    basis: str,
    *,
    years: int | None = None,
    extensions: int = 0,
    agreement_number: str = "",
    agreement_date=None,
    perda_number: str = "",
) -> dict[str, str]:
    """What is wrong with ``basis`` for a pengelola of ``bentuk_hukum``: {field: Indonesian message}.

    An empty dict means the basis is lawful. Fields: ``dasar_pemanfaatan``, ``jangka_waktu_tahun``,
    ``perpanjangan_ke``, ``nomor_perjanjian``, ``tanggal_perjanjian``, ``nomor_perda``.
    """
    basis = effective_basis(bentuk_hukum, basis)
    if basis == DasarPemanfaatan.BELUM:
        return {"dasar_pemanfaatan": str(DasarPemanfaatan.BELUM.label).lower()}
    rule = RULES.get((bentuk_hukum, basis))
    if rule is None:
        return {"dasar_pemanfaatan": str(_("dasar pemanfaatan tidak dikenal"))}
    problems: dict[str, str] = {}
    if not rule.allowed:
        label = str(DasarPemanfaatan(basis).label)
        problems["dasar_pemanfaatan"] = f"{label} {_('tidak sah untuk')} {form_label(bentuk_hukum)}: " + str(
            rule.reason
        ).format(form=form_label(bentuk_hukum))
        return problems
    if rule.agreement_required:
        if not agreement_number:
            problems["nomor_perjanjian"] = str(_("nomor perjanjian wajib diisi"))
        if agreement_date is None:
            problems["tanggal_perjanjian"] = str(_("tanggal perjanjian wajib diisi"))
    if rule.max_years is not None:
        if not years:
            problems["jangka_waktu_tahun"] = str(_("jangka waktu (tahun) wajib diisi"))
        elif years > rule.max_years:
            problems["jangka_waktu_tahun"] = str(
                _("jangka waktu {label} paling lama {max} tahun ({article})")
            ).format(label=str(DasarPemanfaatan(basis).label).lower(), max=rule.max_years, article=rule.article)
    if rule.max_extensions is not None and extensions > rule.max_extensions:
        problems["perpanjangan_ke"] = (
            str(_("{label} tidak dapat diperpanjang ({article})"))
            if rule.max_extensions == 0
            else str(_("{label} hanya dapat diperpanjang {max} kali ({article})"))
        ).format(label=str(DasarPemanfaatan(basis).label), max=rule.max_extensions, article=rule.article)
    if rule.perda_required and not perda_number:
        problems["nomor_perda"] = str(_("penyertaan modal daerah memerlukan Perda: isi nomor Perda"))
    return problems


def rule_table_rows() -> list[dict]:
    """The table as rows (docs, tests): one per legal form and basis."""
    rows = []
    for (form, basis), rule in RULES.items():
        rows.append({"bentuk_hukum": form, "dasar": basis, **rule.__dict__})
    return rows
