"""The register's addresses: files for logged-in officials (``/berkas/``), the register pages (in the
viewflow site's menu, assembled by ``workflow_project.urls``), the census of members (``/anggota/``)
and the public verification pages."""

from django.urls import path

from .views import census, officials, public

# /berkas/: downloads, each held to the region scope.
file_patterns = (
    [
        path("dokumen/<int:pk>/", officials.dokumen_download, name="dokumen_download"),
        path("sk/<int:pk>/", officials.sk_download, name="sk_download"),
        path("register/<int:pk>/ringkasan/", officials.register_summary_download, name="register_summary"),
    ],
    "sentra",
)

# /verifikasi/: public (no login), outside the viewflow site, whose middleware refuses anonymous visitors.
public_patterns = (
    [
        path("", public.verifikasi_lookup, name="lookup"),
        path("<slug:token>/", public.verifikasi_detail, name="detail"),
    ],
    "verifikasi",
)

# /anggota/: the census of IKM members (sentra.census): pages, the Excel import's job, the exports.
census_patterns = (
    [
        path("", census.census_index, name="index"),
        path("templat/", census.census_template, name="template"),
        path("ekspor/", census.census_export, name="export"),
        path("sentra/<int:pk>/", census.sentra_members, name="sentra"),
        path("sentra/<int:pk>/ekspor/", census.census_export, name="sentra_export"),
        path("sentra/<int:pk>/impor/", census.impor_new, name="impor_new"),
        path("impor/<int:pk>/", census.impor_detail, name="impor"),
        path("impor/<int:pk>/status/", census.impor_status, name="impor_status"),
        path("impor/<int:pk>/simpan/", census.impor_confirm, name="impor_confirm"),
        path("impor/<int:pk>/batal/", census.impor_cancel, name="impor_cancel"),
        path("impor/<int:pk>/ulang/", census.impor_restart, name="impor_restart"),
    ],
    "anggota",
)
