"""Loading regions (province and kab/kota) from a Kemendagri/BPS code list."""

import csv
from pathlib import Path

SULTENG_CSV = Path(__file__).resolve().parent / "data" / "wilayah_sulteng.csv"


def read_region_rows(path: Path) -> list[dict]:
    """Rows of ``kode_kemendagri,nama,jenis,kode_bps[,ibu_kota][,timezone]``; provinces first."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    return sorted(rows, key=lambda r: (r["jenis"] != "provinsi", r["kode_kemendagri"]))


def regions_load(rows: list[dict], region_model) -> int:
    """Create or update every region in ``rows``; a kab/kota's parent is its province's code prefix.

    ``region_model`` is passed in so that data migrations can use their historical model (before
    ``sentra.0003`` it has no ``ibu_kota``). A capital in the list replaces the stored one; a row without
    one leaves it as it is.
    """
    has_ibu_kota = any(field.name == "ibu_kota" for field in region_model._meta.get_fields())
    count = 0
    for row in rows:
        code = row["kode_kemendagri"]
        parent_code = None if row["jenis"] == "provinsi" else code.split(".")[0]
        defaults = {
            "bps_code": row["kode_bps"],
            "name": row["nama"],
            "kind": row["jenis"],
            "parent_id": parent_code,
            "timezone": row.get("timezone") or "Asia/Makassar",
        }
        if has_ibu_kota and row.get("ibu_kota"):
            defaults["ibu_kota"] = row["ibu_kota"]
        region_model.objects.update_or_create(code=code, defaults=defaults)
        count += 1
    return count
