"""A complete draft context made of sample values: an uploaded template must fill in with it."""

from .context import BLANK


def sample_context() -> dict:
    """The same keys ``context.sk_draft_context`` gives, with plausible values and no database."""
    row = {"label": "Menimbang", "colon": ":", "marker": "a.", "text": "bahwa contoh pertimbangan;"}
    return {
        "is_draft": True,
        "kepala_daerah": "BUPATI CONTOH",
        "kepala_daerah_kalimat": "Bupati Contoh",
        "provinsi": "PROVINSI SULAWESI TENGAH",
        "wilayah": "Kabupaten Contoh",
        "judul": "KEPUTUSAN BUPATI CONTOH",
        "nomor": BLANK,
        "tentang": "PENETAPAN KELEMBAGAAN PENGELOLA SENTRA INDUSTRI KECIL DAN INDUSTRI MENENGAH CONTOH DI KABUPATEN CONTOH",
        "menimbang": [row],
        "mengingat": [
            {
                **row,
                "label": "Mengingat",
                "marker": "1.",
                "text": "Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian;",
            }
        ],
        "menetapkan": "KEPUTUSAN BUPATI CONTOH TENTANG PENETAPAN KELEMBAGAAN PENGELOLA SENTRA CONTOH.",
        "diktum": [{"label": "KESATU", "colon": ":", "text": "Menetapkan Koperasi Contoh."}],
        "tempat": "Contoh",
        "tanggal": BLANK,
        "ttd": {"jabatan": "BUPATI CONTOH", "nama": BLANK},
        "tembusan": ["Menteri Perindustrian Republik Indonesia di Jakarta;"],
        "kantor": {
            "dinas_perindustrian": "Dinas Perindustrian dan Perdagangan Kabupaten Contoh",
            "bpkad": "Badan Pengelolaan Keuangan dan Aset Daerah Kabupaten Contoh",
            "bappeda": "Badan Perencanaan Pembangunan Daerah Kabupaten Contoh",
            "bagian_hukum": "Bagian Hukum Sekretariat Daerah Kabupaten Contoh",
            "sekretariat_daerah": "Sekretariat Daerah Kabupaten Contoh",
        },
        "pengelola": "Koperasi Contoh",
        "pengelola_kapital": "KOPERASI CONTOH",
        "bentuk_hukum": "Koperasi",
        "sentra": "Sentra Contoh",
        "sentra_kapital": "SENTRA CONTOH",
        "komoditas": "contoh",
        "lokasi": "Jl. Contoh No. 1",
        "pengurus": [{"no": 1, "nama": "Nama Contoh", "jabatan": "Ketua"}],
        "lampiran_susunan": True,
        "lampiran_aset": True,
        "aset": [
            {
                "no": 1,
                "kib": "B",
                "kode_barang": "02.06.01.01.001",
                "nup": 1,
                "nama": "Mesin contoh",
                "tahun": 2022,
                "nilai": "Rp150.000.000",
                "kondisi": "Baik",
                "dasar": "Sewa berdasarkan Perjanjian Nomor 1/2024 tanggal 2 Januari 2024 untuk 5 (lima) tahun",
            }
        ],
        "anggota": [
            {
                "no": 1,
                "nama_usaha": "UD Contoh",
                "pemilik": "Pemilik Contoh",
                "nib": "1234567890123",
                "kbli": "10792",
                "produk": "contoh",
                "tenaga_kerja": 3,
            }
        ],
    }
