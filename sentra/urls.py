"""The register's addresses: files for logged-in officials (``/berkas/``), the register pages (in the
viewflow site's menu, assembled by ``workflow_project.urls``) and the public verification pages."""

from django.urls import path

from .views import assets, officials, public

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

# /aset/: BPKAD's DAK asset lines per sentra (region scope; editing by the verifikator_aset role).
aset_patterns = (
    [
        path("", assets.aset_index, name="index"),
        path("templat.xlsx", assets.aset_template, name="template"),
        path("sentra/<int:pk>/", assets.aset_sentra, name="sentra"),
        path("sentra/<int:pk>/impor/", assets.aset_import, name="import"),
        path("baris/<int:pk>/", assets.aset_edit, name="edit"),
    ],
    "aset",
)
