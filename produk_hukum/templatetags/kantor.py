"""``{% kantor region "bpkad" %}``: an office of a region as the region names it (``BPKAD``, or its own).

``{% kantor region "bpkad" "nama" %}`` gives the full name with the region. Keys: ``dinas_perindustrian``,
``bpkad``, ``bappeda``, ``bagian_hukum``, ``sekretariat_daerah``.
"""

from django import template

from ..selectors import kantor_wilayah

register = template.Library()


@register.simple_tag
def kantor(region, key: str, form: str = "singkatan") -> str:
    if region is None:
        return ""
    office = getattr(kantor_wilayah(region), key)
    return office.nama if form == "nama" else office.singkatan
