"""What the draft SK says: the data of a proposal put into the structure of a Keputusan Bupati/Wali Kota.

One plain dictionary (strings, lists and dicts only, never model objects) feeds both the DOCX
template and the PDF, so the two always carry the same text. Names of people and bodies are taken
as the proposal gives them; NIK and telephone numbers never enter it: an SK and its lampiran are
read far beyond the officials who handle the proposal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from produk_hukum.selectors import kantor_wilayah
from produk_hukum.selectors import mengingat as mengingat_for

from ..asset_services import asset_lampiran_rows
from ..choices import JenisKeputusan, KapasitasPenandatangan, StatusPemanfaatanAset
from ..models import SK, Pengelola, Region

# How an old free-text asset check's basis reads in a sentence (proper capitalisation).
_OLD_BASIS = {
    StatusPemanfaatanAset.PINJAM_PAKAI: "Pinjam Pakai",
    StatusPemanfaatanAset.SEWA: "Sewa",
    StatusPemanfaatanAset.KSP: "Kerja Sama Pemanfaatan",
    StatusPemanfaatanAset.PENGGUNAAN_OPD: "penggunaan oleh OPD (UPTD)",
    StatusPemanfaatanAset.PENYERTAAN_MODAL: "Penyertaan Modal Daerah",
}

# Drafts leave what only Bagian Hukum and the signer can fill in as a dotted line.
BLANK = "." * 40

# PP 29/2018 art. 1(4): the full name of what a sentra gathers.
IKM = "Industri Kecil dan Industri Menengah"

_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_DIKTUM = (
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
)
_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")

# How the capacity reads before the title in the signature block (Plt/Plh/Pj rules; "a.n." when the
# Sekretaris Daerah signs on behalf of the kepala daerah).
CAPACITY_PREFIX = {
    KapasitasPenandatangan.DEFINITIF: "",
    KapasitasPenandatangan.PLT: "Plt. ",
    KapasitasPenandatangan.PLH: "Plh. ",
    KapasitasPenandatangan.PJ: "Pj. ",
    KapasitasPenandatangan.AN: "a.n. ",
}
# The second line of an "a.n." heading: the office of who actually signs.
ATAS_NAMA_JABATAN = "SEKRETARIS DAERAH"

def date_id(value) -> str:
    """``12 Maret 2026``: dates in decrees are written with the month's Indonesian name."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def terbilang(number: int) -> str:
    """Small numbers in words, as decrees write them next to the figure: 3 -> ``tiga``."""
    if number < 12:
        return _UNITS[number] if number else "nol"
    if number < 20:
        return f"{_UNITS[number - 10]} belas"
    if number < 100:
        tens, unit = divmod(number, 10)
        head = "sepuluh" if tens == 1 else f"{_UNITS[tens]} puluh"
        return f"{head} {_UNITS[unit]}".strip()
    return str(number)


def kepala_daerah_title(region: Region) -> str:
    """``BUPATI DONGGALA``, ``WALI KOTA PALU``: the office in capitals, as decrees head and sign."""
    return f"{region.head_title} {region.name}".upper()


# An office typed where a person's name belongs ("Bupati Palu", "Plt. Wali Kota …").
_OFFICE_AS_NAME = re.compile(
    r"^\s*((plt|plh|pj)\.?\s|a\.\s?n\.|(bupati|wali\s?kota|gubernur|sekretaris\s+daerah|wakil\s+(bupati|wali\s?kota))\b)",
    re.IGNORECASE,
)


def signer_name(name: str) -> str:
    """The signer's name as printed under the signature: capitals, single spaces, no academic title.

    Titles are already refused when the SK is recorded (``validators.validate_signer_name``). An office
    where the name belongs (``Bupati Palu``: the heading above already says who signs, and for a kota
    it would print a Bupati under a Wali Kota) is left as a dotted line for Bagian Hukum to fill in.
    """
    if _OFFICE_AS_NAME.match(name or ""):
        return ""
    return re.sub(r"\s+", " ", name or "").strip().upper()


@dataclass(frozen=True)
class Penandatangan:
    """The signature block: the capacity and office (``Plt. BUPATI DONGGALA``) and the name."""

    jabatan: str
    nama: str

    @property
    def nama_tampil(self) -> str:
        return self.nama or BLANK


def signing_office(region: Region, kapasitas: str) -> str:
    """The heading above the signature: ``Plt. BUPATI DONGGALA``; for "a.n." two lines,
    ``a.n. BUPATI DONGGALA`` and ``SEKRETARIS DAERAH``. The title follows the region's kind (a kota
    has a Wali Kota), never what was typed."""
    heading = f"{CAPACITY_PREFIX.get(kapasitas, '')}{kepala_daerah_title(region)}"
    if kapasitas == KapasitasPenandatangan.AN:
        return f"{heading}\n{ATAS_NAMA_JABATAN}"
    return heading


def penandatangan(region: Region, sk: SK | None, kapasitas: str = "") -> Penandatangan:
    """Who signs: from the recorded SK when there is one, else the region's head with a blank name
    (``Plt. BUPATI …`` when ``kapasitas`` says a Plt./Plh. is to sign)."""
    if sk is None:
        return Penandatangan(jabatan=signing_office(region, kapasitas) if kapasitas else kepala_daerah_title(region), nama="")
    return Penandatangan(
        jabatan=signing_office(region, sk.penandatangan_kapasitas),
        nama=signer_name(sk.penandatangan_nama),
    )


def _perihal_text(perihal: Perihal, *, pengelola, head: str, dinas: str, menimbang: list[str],
                  diktum_texts: list) -> tuple[str, list[str], list]:
    """The title, Menimbang and diktum of an amendment, renewal or revocation of ``perihal.target``."""
    target = perihal.target
    sentra = pengelola.sentra
    lama = f"Keputusan {head} Nomor {target.nomor} tanggal {date_id(target.tanggal)} tentang {tentang_of(target)}"
    short = _short_sentra_name(sentra.name)
    if perihal.jenis == JenisKeputusan.PENCABUTAN:
        tentang = f"Pencabutan Keputusan {head} Nomor {target.nomor} tentang {tentang_of(target)}"
        alasan = f"{perihal.alasan.lower()}: " if perihal.alasan else ""
        uraian = " ".join((perihal.uraian or "").split()).rstrip(" ;.")
        menimbang = [
            f"bahwa dengan {lama} telah ditetapkan {target.pengelola.name} sebagai Kelembagaan Pengelola "
            f"{sentra.name};",
            f"bahwa berdasarkan hasil evaluasi {dinas}, {alasan}{uraian}, sehingga kelembagaan pengelola tersebut "
            "tidak lagi memenuhi syarat untuk mengelola sentra;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan "
            f"Keputusan {head} tentang {tentang};",
        ]
        diktum_texts = [
            (f"Mencabut {lama}.", []),
            (
                f"Dengan dicabutnya Keputusan sebagaimana dimaksud dalam Diktum KESATU, {target.pengelola.name} tidak "
                f"lagi berkedudukan sebagai Kelembagaan Pengelola {sentra.name}, dan sarana dan prasarana sentra yang "
                f"merupakan barang milik daerah kembali dikelola Pemerintah Daerah melalui {dinas} sesuai dengan "
                "ketentuan peraturan perundang-undangan mengenai pengelolaan barang milik daerah.",
                [],
            ),
            ("Keputusan ini mulai berlaku pada tanggal ditetapkan.", []),
        ]
        return tentang, menimbang, diktum_texts
    if perihal.jenis == JenisKeputusan.PERPANJANGAN:
        tentang = f"Perpanjangan Masa Bakti Pengurus Kelembagaan Pengelola Sentra {IKM} {short} di {sentra.region}"
        sebab = (
            f"bahwa masa bakti pengurus {target.pengelola.name} berakhir pada tanggal "
            f"{date_id(target.masa_bakti_berakhir)}, sehingga perlu diperpanjang dan susunan pengurusnya ditetapkan "
            "kembali;" if target.masa_bakti_berakhir else
            f"bahwa masa bakti pengurus {target.pengelola.name} perlu diperpanjang;"
        )
        pasal = "Mengubah"
    else:
        tentang = f"Perubahan atas Keputusan {head} Nomor {target.nomor} tentang {tentang_of(target)}"
        pokok = " ".join((perihal.pokok or "").split()).rstrip(" ;.")
        sebab = (
            f"bahwa terdapat perubahan pada kelembagaan pengelola {sentra.name}, yaitu {pokok}, sehingga Keputusan "
            "tersebut perlu diubah;" if pokok else
            f"bahwa terdapat perubahan pada kelembagaan pengelola {sentra.name}, sehingga Keputusan tersebut perlu "
            "diubah;"
        )
        pasal = "Mengubah"
    menimbang = [
        f"bahwa dengan {lama} telah ditetapkan {target.pengelola.name} sebagai Kelembagaan Pengelola {sentra.name};",
        sebab,
        f"bahwa perubahan tersebut telah diverifikasi oleh {dinas};",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, huruf b, dan huruf c, perlu menetapkan "
        f"Keputusan {head} tentang {tentang};",
    ]
    first = (
        f"{pasal} {lama}, sehingga kelembagaan pengelola, susunan pengurus dan daftar anggota sentra menjadi "
        "sebagaimana ditetapkan dalam Diktum KEDUA sampai dengan Diktum KEENAM Keputusan ini.",
        [],
    )
    last = (
        f"Keputusan ini mulai berlaku pada tanggal ditetapkan. Pada saat Keputusan ini mulai berlaku, Keputusan "
        f"{head} Nomor {target.nomor} tanggal {date_id(target.tanggal)} dinyatakan diubah sebagaimana dalam "
        "Keputusan ini.",
        [],
    )
    return tentang, menimbang, [first, *diktum_texts[:-1], last]


def _short_sentra_name(name: str) -> str:
    # "Sentra Tenun Donggala" is titled "... SENTRA INDUSTRI KECIL DAN INDUSTRI MENENGAH TENUN DONGGALA".
    return re.sub(r"^sentra(\s+ikm)?\s+", "", name.strip(), flags=re.IGNORECASE) or name


def lokasi(sentra) -> str:
    """Where the sentra stands: address, desa/kelurahan and kecamatan as entered."""
    parts = [sentra.alamat.strip()]
    if sentra.desa.strip():
        parts.append(sentra.desa.strip())
    if sentra.kecamatan.strip():
        kecamatan = sentra.kecamatan.strip()
        parts.append(kecamatan if kecamatan.lower().startswith("kec") else f"Kecamatan {kecamatan}")
    return ", ".join(p for p in parts if p)


def _rows(label: str, items: list[str], marker: str) -> list[dict]:
    """Rows of a "Menimbang"/"Mengingat" block: the label and colon on the first row only."""
    rows = []
    for i, text in enumerate(items):
        mark = f"{chr(ord('a') + i)}." if marker == "letter" else f"{i + 1}."
        rows.append({"label": label if i == 0 else "", "colon": ":" if i == 0 else "", "marker": mark, "text": text})
    return rows


def _end_with(text: str, mark: str) -> str:
    return text.rstrip(" ;.") + mark


def _as_list(items: list[str]) -> list[str]:
    """Items of a list in a decree: each ends with a semicolon, the last with a full stop."""
    return [_end_with(text, ";") for text in items[:-1]] + [_end_with(text, ".") for text in items[-1:]]


@dataclass(frozen=True)
class Perihal:
    """What a Keputusan does when it is not a first establishment (issue 15): amends or renews ``target``
    (``perubahan``/``perpanjangan``: ``pokok`` says what changes), or revokes it (``pencabutan``, with
    the evaluation's ``alasan`` and ``uraian``). The flow that knows the proposal builds it."""

    jenis: str
    target: SK
    pokok: str = ""
    alasan: str = ""
    uraian: str = ""


def tentang_of(sk: SK, *, depth: int = 0) -> str:
    """The "tentang" of an SK already made, from its kind and the chain it amends (as its draft had it)."""
    pengelola = sk.pengelola
    base = f"Penetapan Kelembagaan Pengelola Sentra {IKM} {_short_sentra_name(pengelola.sentra.name)} di {sk.region}"
    target = sk.mencabut or sk.mengubah
    if target is None or depth > 5:
        return base
    head = f"{sk.region.head_title} {sk.region.name}"
    inner = tentang_of(target, depth=depth + 1)
    if sk.jenis == JenisKeputusan.PENCABUTAN:
        return f"Pencabutan Keputusan {head} Nomor {target.nomor} tentang {inner}"
    if sk.jenis == JenisKeputusan.PERPANJANGAN:
        return f"Perpanjangan Masa Bakti Pengurus Kelembagaan Pengelola Sentra {IKM} " \
               f"{_short_sentra_name(pengelola.sentra.name)} di {sk.region}"
    return f"Perubahan atas Keputusan {head} Nomor {target.nomor} tentang {inner}"


def sk_draft_context(pengelola: Pengelola, *, sk: SK | None = None, perihal: Perihal | None = None,
                     signer_kapasitas: str = "") -> dict:
    """Everything the draft SK of ``pengelola`` says, for the DOCX template and the PDF alike.

    ``sk`` is the SK recorded for it, if any: its number, date, signer and capacity then fill what a
    draft leaves blank. ``perihal``: an amendment, renewal or revocation of an earlier SK (``Perihal``).
    """
    sentra = pengelola.sentra
    region = sentra.region
    province = region.province
    office = kepala_daerah_title(region)
    head = f"{region.head_title} {region.name}"  # "Bupati Donggala" in running text
    kantor = kantor_wilayah(region)  # the offices as the region's Perda names them (produk_hukum)
    dinas = kantor.dinas_perindustrian.nama
    dinas_provinsi = kantor_wilayah(province).dinas_perindustrian.nama
    short = _short_sentra_name(sentra.name)
    tentang_kalimat = f"Penetapan Kelembagaan Pengelola Sentra {IKM} {short} di {region}"
    tentang = tentang_kalimat.upper()
    bentuk = pengelola.get_bentuk_hukum_display()  # "UPTD … yang menerapkan PPK-BLUD" for such a UPTD
    where = lokasi(sentra)
    pengurus = list(pengelola.pengurus_set.all())
    anggota = list(pengelola.anggota_set.all())
    aset = pengelola.pemeriksaan_aset_set.first()
    signer = penandatangan(region, sk, signer_kapasitas)

    dak = f" yang dibangun melalui Dana Alokasi Khusus Tahun Anggaran {sentra.tahun_dak}" if sentra.tahun_dak else ""
    menimbang = [
        f"bahwa dalam rangka penguatan Sentra {IKM} sebagaimana diatur dalam Peraturan "
        "Pemerintah Nomor 29 Tahun 2018 tentang Pemberdayaan Industri, perlu dibentuk kepengurusan dan kelembagaan "
        "pengelola sentra;",
        f"bahwa sarana dan prasarana {sentra.name} di {region}{dak} merupakan barang milik daerah yang perlu "
        "dikelola, dioperasikan dan dipelihara oleh kelembagaan pengelola yang ditetapkan dengan dasar hukum "
        "yang jelas;",
        f"bahwa {pengelola.name} telah dibentuk oleh anggota sentra, telah diverifikasi oleh {dinas}, dan "
        f"pemanfaatan barang milik daerah yang akan dikelolanya telah diperiksa oleh {kantor.bpkad.nama}, sehingga "
        f"memenuhi syarat untuk ditetapkan sebagai kelembagaan pengelola {sentra.name};",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, huruf b, dan huruf c, perlu menetapkan "
        f"Keputusan {head} tentang {tentang_kalimat};",
    ]
    # Bagian Hukum keeps the list per region and legal form in the admin (produk_hukum.DasarHukum); a
    # UPTD applying PPK-BLUD cites the UPTD's laws and the BLUD's ("uptd" and "blud").
    mengingat = _as_list(mengingat_for(region, pengelola.dasar_hukum_keys))

    tugas = [
        f"mengelola dan mengoperasikan sarana dan prasarana sentra untuk kepentingan anggota {IKM};",
        "memelihara dan mengamankan barang milik daerah yang dimanfaatkan sesuai dengan ketentuan peraturan "
        "perundang-undangan;",
        "memfasilitasi anggota dalam peningkatan produksi, mutu dan pemasaran produk;",
        f"memutakhirkan daftar anggota {IKM} sentra;",
        f"menyampaikan laporan pelaksanaan tugas secara berkala kepada {head} melalui {dinas}, dengan tembusan "
        f"kepada {dinas_provinsi}.",
    ]
    aset_rows = asset_lampiran_rows(pengelola, dinas)
    if aset_rows:
        bases = list(dict.fromkeys(row["dasar"] for row in aset_rows))
        dasar = f", yaitu {'; '.join(bases)}," if len(bases) <= 3 else ""
        pemanfaatan = (
            "Barang milik daerah berupa sarana dan prasarana sentra yang dikelola oleh kelembagaan pengelola "
            f"sebagaimana dimaksud dalam Diktum KESATU dimanfaatkan berdasarkan dasar pemanfaatan masing-masing"
            f"{dasar} sebagaimana tercantum dalam Lampiran III yang merupakan bagian tidak terpisahkan dari "
            "Keputusan ini, sesuai dengan ketentuan peraturan perundang-undangan mengenai pengelolaan barang milik "
            "daerah."
        )
    elif aset is not None and aset.status_pemanfaatan != StatusPemanfaatanAset.BELUM:
        # A proposal checked before the asset lines existed (free-text check, kept for its history).
        term = (
            f" untuk jangka waktu {aset.jangka_waktu_tahun} ({terbilang(aset.jangka_waktu_tahun)}) tahun"
            if aset.jangka_waktu_tahun
            else ""
        )
        pemanfaatan = (
            f"Pemanfaatan barang milik daerah berupa sarana dan prasarana sentra oleh kelembagaan pengelola "
            f"sebagaimana dimaksud dalam Diktum KESATU dilaksanakan dalam bentuk "
            f"{_OLD_BASIS.get(aset.status_pemanfaatan, aset.status_pemanfaatan)}{term} sesuai dengan ketentuan "
            "peraturan perundang-undangan mengenai pengelolaan barang milik daerah."
        )
    else:
        pemanfaatan = (
            "Pemanfaatan barang milik daerah berupa sarana dan prasarana sentra oleh kelembagaan pengelola "
            "sebagaimana dimaksud dalam Diktum KESATU dilaksanakan sesuai dengan ketentuan peraturan "
            "perundang-undangan mengenai pengelolaan barang milik daerah."
        )
    years = pengelola.masa_bakti_tahun
    diktum_texts: list[tuple[str, list[str]]] = [
        (
            f"Menetapkan {pengelola.name} yang berbentuk {bentuk} sebagai Kelembagaan Pengelola {sentra.name} "
            f"dengan komoditas {sentra.komoditas}, yang berlokasi di {where}, {region}, dengan alamat sekretariat "
            f"{pengelola.alamat}.",
            [],
        ),
        (
            "Susunan pengurus kelembagaan pengelola sebagaimana dimaksud dalam Diktum KESATU tercantum dalam "
            f"Lampiran I dan daftar anggota {IKM} {sentra.name} tercantum dalam Lampiran II "
            "yang merupakan bagian tidak terpisahkan dari Keputusan ini.",
            [],
        ),
        ("Kelembagaan pengelola sebagaimana dimaksud dalam Diktum KESATU mempunyai tugas:", tugas),
        (pemanfaatan, []),
        (
            f"Masa bakti pengurus kelembagaan pengelola adalah {years} ({terbilang(years)}) tahun terhitung sejak "
            "tanggal Keputusan ini ditetapkan.",
            [],
        ),
        ("Keputusan ini mulai berlaku pada tanggal ditetapkan.", []),
    ]
    revocation = perihal is not None and perihal.jenis == JenisKeputusan.PENCABUTAN
    if perihal is not None:
        tentang_kalimat, menimbang, diktum_texts = _perihal_text(
            perihal, pengelola=pengelola, head=head, dinas=dinas, menimbang=menimbang, diktum_texts=diktum_texts,
        )
        tentang = tentang_kalimat.upper()
    diktum = []
    for i, (text, items) in enumerate(diktum_texts):
        diktum.append({"label": _DIKTUM[i], "colon": ":", "text": text})
        for j, item in enumerate(items):
            diktum.append({"label": "", "colon": "", "text": f"{chr(ord('a') + j)}. {item}"})

    province_seat = f" di {province.ibu_kota}" if province.ibu_kota else ""
    tembusan = [
        "Menteri Perindustrian Republik Indonesia di Jakarta;",
        f"Gubernur {province.name}{province_seat};",
        f"Kepala {dinas_provinsi};",
        f"Inspektur {region};",
        f"Kepala {kantor.bpkad.nama};",
        f"Kepala {kantor.bappeda.nama};",
        f"Kepala {dinas};",
        f"Pengurus {pengelola.name}.",
    ]
    return {
        "is_draft": sk is None,
        "kepala_daerah": office,
        "kepala_daerah_kalimat": head,
        "provinsi": str(province).upper(),
        "wilayah": str(region),
        "judul": f"KEPUTUSAN {office}",
        "nomor": sk.nomor if sk else BLANK,
        "tentang": tentang,
        "menimbang": _rows("Menimbang", menimbang, "letter"),
        "mengingat": _rows("Mengingat", mengingat, "number"),
        "menetapkan": f"KEPUTUSAN {office} TENTANG {tentang}.",
        "diktum": diktum,
        "tempat": region.seat,
        "tanggal": date_id(sk.tanggal) if sk else BLANK,
        "ttd": {"jabatan": signer.jabatan, "nama": signer.nama_tampil},
        "tembusan": tembusan,
        "kantor": {
            "dinas_perindustrian": dinas,
            "bpkad": kantor.bpkad.nama,
            "bappeda": kantor.bappeda.nama,
            "bagian_hukum": kantor.bagian_hukum.nama,
            "sekretariat_daerah": kantor.sekretariat_daerah.nama,
        },
        "pengelola": pengelola.name,
        "pengelola_kapital": pengelola.name.upper(),
        "bentuk_hukum": bentuk,
        "sentra": sentra.name,
        "sentra_kapital": sentra.name.upper(),
        "komoditas": sentra.komoditas,
        "lokasi": where,
        "pengurus": [{"no": i, "nama": p.nama, "jabatan": p.jabatan} for i, p in enumerate(pengurus, 1)],
        "aset": aset_rows,
        # A revocation has no lampiran: it names the Keputusan it revokes, not a pengurus, members or assets.
        "lampiran_susunan": not revocation,
        "lampiran_aset": bool(aset_rows) and not revocation,
        "anggota": [
            {
                "no": i,
                "nama_usaha": a.nama_usaha,
                "pemilik": a.pemilik,
                "nib": a.nib,
                "kbli": a.kbli,
                "produk": a.produk,
                "tenaga_kerja": a.tenaga_kerja,
            }
            for i, a in enumerate(anggota, 1)
        ],
    }
