"""The roles of SK Sentra, each a Django group scoped to the user's region."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PENGUSUL = "pengusul", _("Pengusul (operator Disperindag kab/kota / pengurus sentra)")
    VERIFIKATOR_DINAS = "verifikator_dinas", _("Verifikator Disperindag kab/kota")
    VERIFIKATOR_ASET = "verifikator_aset", _("Verifikator aset BPKAD")
    BAGIAN_HUKUM = "bagian_hukum", _("Bagian Hukum Setda")
    SEKRETARIAT_DAERAH = "sekretariat_daerah", _("Sekretariat Daerah (paraf koordinasi: Asisten, Sekretaris Daerah)")
    KEPALA_DAERAH = "kepala_daerah", _("Kepala daerah / pejabat yang menandatangani")
    PENCATAT_PROVINSI = "pencatat_provinsi", _("Pencatat Disperindag Provinsi")
    PIMPINAN = "pimpinan", _("Pimpinan (Kepala Dinas)")
    AUDITOR = "auditor", _("Auditor (Inspektorat / BPK)")
    # The pengelola's own officers (ketua, sekretaris): scoped to their own sentra (``User.sentra``).
    PENGELOLA = "pengelola", _("Pengelola sentra (pengurus kelembagaan pengelola)")


# Roles whose holders may only read, never change anything.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})

# Roles that see personal data (the NIK and telephone of pengurus and anggota IKM) in full on pages and
# in exports: the kab/kota desk that collects and checks it. Everyone else sees them masked.
PERSONAL_DATA_ROLES = frozenset({Role.PENGUSUL, Role.VERIFIKATOR_DINAS})

# Roles that keep a sentra's census of members (import from Excel) in their own kab/kota.
CENSUS_ROLES = frozenset({Role.PENGUSUL, Role.VERIFIKATOR_DINAS})
