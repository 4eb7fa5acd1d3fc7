"""An official of one kab/kota never sees or acts on anything of another: lists, pages, downloads, URLs."""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.html import escape

from accounts.models import Absence, ActingGrant
from audit.models import Action, AuditEvent
from flows import services
from flows.demo import advance, change_data, checked_pdf
from flows.operations import change_start, open_task, revocation_start, task_act
from flows.models import LaporanTask, LegalisasiProcess, LegalisasiTask
from oversight.service_levels import durations_record
from sentra.models import SK, AnggotaIKM, AsetDAK, Dokumen, ImporAnggota, Pengurus
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _demo_users(donggala, poso, province):
    users = {}
    for role, user in donggala.items():
        users[(role, "72.03")] = user
    for role, user in poso.items():
        users[(role, "72.02")] = user
    users[("pencatat_provinsi", "72")] = province["pencatat_provinsi"]
    return users


@pytest.fixture
def poso_processes(donggala, poso, province, start_proposal, regions):
    """Poso proposals covering every node: one recorded, one back at perbaikan, one rejected, one
    waiting, one draft back at Bagian Hukum, one recorded with notes awaiting the answer."""
    users = _demo_users(donggala, poso, province)
    recorded = start_proposal(poso["pengusul"])
    advance(recorded, users, regions["72.02"], "tercatat", seed=1)
    returned = start_proposal(poso["pengusul"])
    advance(returned, users, regions["72.02"], "perbaikan", seed=2)
    rejected = start_proposal(poso["pengusul"])
    advance(rejected, users, regions["72.02"], "ditolak", seed=3)
    waiting = start_proposal(poso["pengusul"])
    draft_returned = start_proposal(poso["pengusul"])
    advance(draft_returned, users, regions["72.02"], "revisi_rancangan", seed=4)
    noted = start_proposal(poso["pengusul"])
    advance(noted, users, regions["72.02"], "tanggapan_catatan", seed=5)
    _reports_of(recorded, noted)
    # Issue 15: an amendment and a renewal of recorded SKs, and a revocation back at the Disperindag.
    amended = change_start(user=poso["pengusul"], sk=recorded.pengelola.sk_set.get(), jenis="perubahan",
                           data=change_data(recorded.pengelola))
    renewal_base = start_proposal(poso["pengusul"])
    advance(renewal_base, users, regions["72.02"], "tercatat", seed=6)
    renewed = change_start(user=poso["pengusul"], sk=renewal_base.pengelola.sk_set.get(), jenis="perpanjangan",
                           data=change_data(renewal_base.pengelola, masa_bakti_tahun=5), asset_change=True)
    revocation_base = start_proposal(poso["pengusul"])
    advance(revocation_base, users, regions["72.02"], "tercatat", seed=7)
    revoked = revocation_start(user=poso["verifikator_dinas"], sk=revocation_base.pengelola.sk_set.get(),
                               reason="tidak_aktif", grounds="Sentra tidak beroperasi selama empat belas bulan.",
                               evidence=checked_pdf("BA evaluasi"))
    task_act(task=open_task(revoked, "harmonisasi_hukum"), user=poso["bagian_hukum"],
             action=lambda a: services.step_decide(activation=a, user=poso["bagian_hukum"], hasil="dikembalikan",
                                                   catatan="Lampirkan BA monitoring."))
    return [recorded, returned, rejected, waiting, draft_returned, noted, amended, renewal_base, renewed,
            revocation_base, revoked]


REPORT_OPEN_DAY = dt.date(2027, 1, 4)  # the semester 2026-S2 (the SKs' period) has ended


def _reports_of(*processes):
    """The periodic reports of the sentra ber-SK among ``processes``: opened, the first one submitted
    with a photo by its pengelola (so every report route has an object to be asked about)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.roles import Role
    from accounts.services import user_create
    from flows import laporan
    from flows.models import LaporanProcess
    from tests.flows.test_laporan import png_bytes, report_post

    laporan.periods_open(today=REPORT_OPEN_DAY)
    first = LaporanProcess.objects.get(pengelola=processes[0].pengelola)
    officer = user_create(username=f"pengelola.{first.sentra_id}", password="x-test-123", roles=[Role.PENGELOLA],
                          region=first.region, first_name="Ketua", last_name=first.sentra.name)
    officer.sentra = first.sentra
    officer.save(update_fields=["sentra"])
    response = client_for(officer).post(f"/laporan/{first.pk}/", {
        **report_post(), "foto-foto": SimpleUploadedFile("a.png", png_bytes())}, follow=False)
    assert response.status_code == 302, response.status_code


def _delegations_of(processes) -> dict[str, list[str]]:
    """A Plt./Plh. grant in force in the region of ``processes`` held by their proposer, and an absence of
    that proposer in force: the objects the routes that end them early are asked about."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role

    today = timezone.localdate()
    proposer = processes[0].diusulkan_oleh
    since, until = today - dt.timedelta(days=1), today + dt.timedelta(days=5)
    grant = ActingGrant.objects.create(
        user=proposer, role=Role.VERIFIKATOR_DINAS.value, region=processes[0].region, kapasitas="plt",
        basis_number="800/1/BKPSDM/2026", basis_date=since, basis_sha256="0" * 64,
        basis_scan="surat-perintah/sweep.pdf", starts_on=since, ends_on=until, granted_by=proposer,
    )
    absence = Absence.objects.create(user=proposer, starts_on=since, ends_on=until, recorded_by=proposer,
                                     substitute=User.objects.exclude(pk=proposer.pk).order_by("pk").first())
    return {"pelimpahan/plt-plh/<int:pk>/akhiri/": [str(grant.pk)],
            "pelimpahan/ketidakhadiran/<int:pk>/akhiri/": [str(absence.pk)]}


def _every_route_filled(processes, *, complete: bool = True) -> dict[str, list[str]]:
    """Each mounted route with the URLs that fill its parameters with ``processes``' objects (their
    tasks, decisions, documents, SKs); a route whose parameters the sweep cannot fill fails the test,
    so a new page cannot escape it."""
    from flows.models import Keputusan

    tasks = list(LegalisasiTask.objects.filter(process__in=processes))
    sks = list(SK.objects.filter(pengelola__processes__in=processes))
    fill = {
        "berkas/dokumen/<int:pk>/": [str(d.pk) for d in Dokumen.objects.filter(pengelola__processes__in=processes)],
        "berkas/sk/<int:pk>/": [str(sk.pk) for sk in sks],
        "berkas/register/<int:pk>/ringkasan/": [str(sk.pk) for sk in sks],
        # Issue 15: the starts on an SK (amend, renew, revoke) with Poso's SKs.
        **{f"legalisasi/{kind}/<int:sk_pk>/": [str(sk.pk) for sk in sks]
           for kind in ("perubahan", "perpanjangan", "pencabutan")},
        "verifikasi/<slug:token>/": [sk.verification_token for sk in sks],
        "accounts/reset/<uidb64>/<token>/": ["MQ/set-password"],
        # Moving an official's tasks (pelimpahan): the officials of Poso who hold its tasks, and who proposed.
        "pelimpahan/pengguna/<int:user_pk>/alihkan/": sorted({str(t.owner_id) for t in tasks if t.owner_id}
                                                             | {str(p.diusulkan_oleh_id) for p in processes}),
        # The REST API (api/): every object URL filled with Poso's objects, the task writes with its tasks.
        "api/v1/register/<id:pk>/": [str(sk.pk) for sk in sks],
        "api/v1/usulan/<id:pk>/": [str(p.pk) for p in processes],
        "api/v1/pengelola/<id:pk>/": [str(p.pengelola_id) for p in processes],
        "api/v1/sentra/<id:pk>/": [str(p.pengelola.sentra_id) for p in processes],
        # The DAK sentra register (issue 14): one sentra's page and its confirmation, with Poso's sentra.
        "register/sentra/<int:pk>/": [str(p.pengelola.sentra_id) for p in processes],
        "register/sentra/<int:pk>/konfirmasi/": [str(p.pengelola.sentra_id) for p in processes],
        "api/v1/anggota/<id:pk>/": [str(a.pk) for a in AnggotaIKM.objects.filter(pengelola__processes__in=processes)],
        **{f"api/v1/tugas/<id:pk>/{action}": [str(t.pk) for t in tasks if t.flow_task_type == "HUMAN"]
           for action in ("", "ambil/", "lepas/", "putuskan/")},
        # BPKAD's asset pages: Poso's sentra and their asset lines.
        **{f"aset/sentra/<int:pk>/{action}": [str(p.pengelola.sentra_id) for p in processes]
           for action in ("", "impor/")},
        "aset/baris/<int:pk>/": [str(a.pk) for a in AsetDAK.objects.filter(sentra__pengelola_set__processes__in=processes).distinct()],
        "api/v1/<path:rest>": [f"usulan/{p.pk}/lain/" for p in processes],  # any other API URL: a 404 problem
    }
    from flows.models import LaporanFoto, LaporanProcess

    reports = list(LaporanProcess.objects.filter(pengelola__processes__in=processes))
    fill["laporan/<int:pk>/"] = [str(r.pk) for r in reports]
    fill["laporan/foto/<int:pk>/"] = [str(f.pk) for f in LaporanFoto.objects.filter(laporan__in=reports)]
    # The census of members (/anggota/): Poso's sentra and an import of Poso's pengusul into one.
    sentra_ids = sorted({p.pengelola.sentra_id for p in processes})
    poso_sentra = processes[0].pengelola.sentra
    impor = ImporAnggota.objects.create(sentra=poso_sentra, created_by=processes[0].diusulkan_oleh, sha256="0" * 64,
                                        original_name="anggota.xlsx", file="impor_anggota/x.xlsx",
                                        status=ImporAnggota.Status.SIAP)
    fill.update({
        **{f"anggota/sentra/<int:pk>/{action}": [str(pk) for pk in sentra_ids] for action in ("", "ekspor/", "impor/")},
        **{f"anggota/impor/<int:pk>/{action}": [str(impor.pk)]
           for action in ("", "status/", "simpan/", "batal/", "ulang/")},
    })
    # Ending a Plt./Plh. or an absence early (pelimpahan): a grant in force in Poso and an absence of Poso's proposer.
    fill.update(_delegations_of(processes))
    keputusan = list(Keputusan.objects.filter(process__in=processes))
    filled: dict[str, list[str]] = {}
    for route in _routes(get_resolver().url_patterns):
        params = re.findall(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)|\^|\$", route)
        if not params:
            filled[route] = ["/" + route]
        elif "<int:process_pk>" in route and "<int:task_pk>" in route:
            node = route.split("<int:process_pk>/")[1].split("/")[0]
            filled[route] = ["/" + route.replace("<int:process_pk>", str(t.process_id)).replace("<int:task_pk>", str(t.pk))
                             for t in tasks if t.flow_task.name == node]
        elif route.count("<") == 1 and "<int:process_pk>" in route:
            filled[route] = ["/" + route.replace("<int:process_pk>", str(p.pk)) for p in processes]
        elif route.startswith("audit/usulan/<int:pk>/keputusan/"):
            filled[route] = [f"/audit/usulan/{k.process_id}/keputusan/{k.pk}/" for k in keputusan]
        elif route.startswith("audit/usulan/<int:pk>/"):
            filled[route] = ["/" + route.replace("<int:pk>", str(p.pk)) for p in processes]
        elif route in fill:
            filled[route] = ["/" + route.replace(param, value, 1)
                             for value in fill[route] for param in [re.search(r"<[^>]+>", route).group(0)]]
            if route == "accounts/reset/<uidb64>/<token>/":
                filled[route] = ["/accounts/reset/MQ/set-password/"]
        elif route.startswith("admin/"):
            # The admin is for staff only: an official is sent to its login, whatever the object.
            sample = str(processes[0].pk)
            url = re.sub(r"<[^>]+>|\(\?P<app_label>[^)]*\)|\(\?P<url>[^)]*\)|\(\[\^/\]\+\)", sample, route)
            filled[route] = ["/" + url.replace("^", "").replace("$", "")]
        else:
            filled[route] = []
        assert filled[route] or not complete, f"the sweep does not know how to fill {route}"
        if not filled[route]:  # a partial sweep (``complete=False``) asks only what its objects fill
            del filled[route]
            continue
        # Two objects per route are enough to show its scope (a leak is a page's, not one object's):
        # the first and the last, so a route is asked about two different proposals where it can be.
        filled[route] = sorted(set(filled[route][:1] + filled[route][-1:]))
    # The officials' search asked for Poso's identifiers (a member's and a pengurus' full NIK, a NIB, the SK and
    # register numbers, the proposal's number, a part of its sentra's name), and the service-level report with Poso's
    # finished tasks recorded and Poso asked for by name: nothing of Poso may come back.
    durations_record()
    member = AnggotaIKM.objects.filter(pengelola__processes__in=processes).first()
    queries = [member.nik_pemilik, member.nib, Pengurus.objects.filter(pengelola__processes__in=processes).first().nik,
               sks[0].nomor, sks[0].nomor_register, f"#{processes[0].pk}",
               " ".join(processes[0].pengelola.sentra.name.split()[1:])]  # a part: the box shows what was typed
    filled["pantau/cari/"] += ["/pantau/cari/?" + urlencode({"q": q}) for q in queries]
    filled["pantau/kinerja/"] += ["/pantau/kinerja/?wilayah=72.02"]
    filled["pantau/kinerja/ekspor/"] += ["/pantau/kinerja/ekspor/?wilayah=72.02"]
    return filled


@pytest.mark.parametrize("role", ["pengusul", "verifikator_dinas", "verifikator_aset", "bagian_hukum", "sekretariat_daerah",
                                  "kepala_daerah", "pimpinan"])
def test_every_mounted_route_get_and_post_shows_a_donggala_official_nothing_of_poso(role, donggala, poso_processes, capsys):
    """Every route the site mounts (ours, viewflow's, the admin's), GET and POST, filled with Poso's
    objects where it takes ids, and POSTed with Poso's task ids and ``select_all`` where it takes none:
    nothing of Poso is answered (no name, no link), and an object of Poso is never served."""
    client = client_for(donggala[role])
    filled = _every_route_filled(poso_processes)
    urls = [url for route_urls in filled.values() for url in route_urls]
    # every kind of page is covered: process pages, task pages of each node, downloads
    assert any("/execute/" in u for u in urls) and any("/assign/" in u for u in urls)
    assert any(u.startswith("/berkas/sk/") for u in urls) and any(u.startswith("/berkas/dokumen/") for u in urls)
    for node in ("verifikasi_dinas", "perbaikan", "verifikasi_aset", "harmonisasi_hukum", "paraf_koordinasi",
                 "revisi_rancangan", "penetapan_sk", "penomoran_sk", "pencatatan_provinsi", "tanggapan_catatan",
                 "split_verifikasi", "join_verifikasi", "tercatat", "ditolak", "perubahan", "perpanjangan",
                 "pencabutan", "perbaikan_pencabutan"):
        assert any(f"/{node}/" in u for u in urls), node
    for node in ("laporan", "reviu_laporan"):
        assert LaporanTask.objects.filter(process__laporanprocess__pengelola__processes__in=poso_processes,
                                          flow_task__endswith=f".{node}").exists(), node
    assert any(u.startswith("/laporan/foto/") for u in urls) and any(re.match(r"/laporan/\d+/$", u) for u in urls)
    assert any(u.startswith("/pelimpahan/plt-plh/") and u.endswith("/akhiri/") for u in urls)
    assert any(u.startswith("/pelimpahan/ketidakhadiran/") and u.endswith("/akhiri/") for u in urls)
    requests = _sweep(client, donggala[role], filled, poso_processes)
    # Nothing of Poso was ended early by a Donggala official.
    assert not AuditEvent.objects.filter(action__in=(Action.ACTING_GRANT_END_EARLY, Action.ABSENCE_END)).exists()
    assert ActingGrant.objects.in_force().exists() and Absence.objects.in_force().exists()
    with capsys.disabled():
        print(f"\n[region sweep] {role}: {len(filled)} routes, {requests} requests, 0 leaks")


def _sweep(client, user, filled, processes) -> int:
    """Ask every URL of ``filled`` (GET, and POST with ``processes``' task ids where the route takes no
    id) as ``user``: nothing of ``processes`` is answered (no name, no link), and an object of theirs
    is never served. Returns the number of requests."""
    from flows.models import LaporanProcess

    reports = list(LaporanProcess.objects.filter(pengelola__processes__in=processes))
    poso_processes = processes
    poso_task_ids = list(LegalisasiTask.objects.filter(process__in=poso_processes).values_list("pk", flat=True))
    poso_task_ids += list(LaporanTask.objects.filter(process__in=reports).values_list("pk", flat=True))
    names = [form for p in poso_processes for name in (p.pengelola.name, p.pengelola.sentra.name)
             for form in {name, escape(name)}]
    links = [re.compile(rf"/legalisasi/{p.pk}/") for p in poso_processes]
    links += [re.compile(rf"/laporan/{r.pk}/") for r in reports]
    report_urls = {f"/laporan/{r.pk}/" for r in reports} | {f"/laporan/foto/{f}/" for r in reports
                                                            for f in r.foto_set.values_list("pk", flat=True)}
    public = {"verifikasi/<slug:token>/"}  # the register's public page: anyone with the token, by design
    requests = 0
    hostile = [{"pk": poso_task_ids}, {"pk": poso_task_ids, "select_all": "1", "_confirm": "1"}]
    for route, urls in filled.items():
        # a route without ids is POSTed Poso's task ids, with and without confirmation (viewflow's bulk
        # pages listed them on the unconfirmed POST); a route with ids is asked plainly
        attempts = [("get", {})] + [("post", data) for data in (hostile if "<" not in route else [{}])]
        for url in urls:
            for method, data in attempts:
                response = getattr(client, method)(url, data)
                requests += 1
                if route == "accounts/logout/":  # the sweep goes on logged in
                    client.force_login(user)
                assert response.status_code < 500, f"{method.upper()} {url} -> {response.status_code}"
                if route in public:
                    continue
                if (((any(str(p.pk) in url for p in poso_processes) or route.startswith("anggota/")) and "<" in route)
                        or url in report_urls or (route.startswith(("berkas/", "pelimpahan/")) and "<" in route)):
                    assert response.status_code in (302, 403, 404, 405), f"{method.upper()} {url} -> {response.status_code}"
                    if response.status_code == 302:
                        assert "/login/" in response["Location"], f"{method.upper()} {url} -> {response['Location']}"
                body = response.content.decode(errors="replace") if not response.streaming else ""
                for name in names:
                    assert name not in body, f"{method.upper()} {url} shows {name}"
                if response.status_code == 200:
                    for link in links:
                        assert not link.search(body), f"{method.upper()} {url} links {link.pattern}"
    return requests


def test_a_pengelola_sees_nothing_of_another_sentra_of_its_own_kabupaten_on_any_route(poso_processes, make_user, capsys):
    """Two pengelola officers of Poso on two sentra ber-SK: every mounted route, filled with the objects
    of every other sentra (the other's proposal, tasks, documents, SK, register entry, reports,
    photos), GET and POST, answers neither anything of the other."""
    from accounts.roles import Role
    from flows.models import LaporanProcess

    recorded, noted = poso_processes[0], poso_processes[5]
    officers = {}
    for process, username in ((recorded, "pengelola.a.72.02"), (noted, "pengelola.b.72.02")):
        officer = make_user(Role.PENGELOLA, "72.02", username=username)
        officer.sentra = process.pengelola.sentra
        officer.save(update_fields=["sentra"])
        officers[process.pk] = officer
    assert recorded.pengelola.sentra_id != noted.pengelola.sentra_id
    assert recorded.region_id == noted.region_id == "72.02"
    for mine in (recorded, noted):
        officer = officers[mine.pk]
        # Another sentra's processes (an amendment of its own SK is its own sentra's, and its own to see).
        others = [p for p in poso_processes if p.pengelola.sentra_id != mine.pengelola.sentra_id]
        client = client_for(officer)
        # Its own report is served to it; the other's is not.
        own = LaporanProcess.objects.get(pengelola=mine.pengelola)
        assert client.get(f"/laporan/{own.pk}/").status_code == 200
        filled = _every_route_filled(others, complete=False)
        urls = [u for route_urls in filled.values() for u in route_urls]
        assert any(re.match(r"/laporan/\d+/$", u) for u in urls) and any(u.startswith("/berkas/sk/") for u in urls)
        assert any("/execute/" in u for u in urls) and any(u.startswith("/api/v1/sentra/") for u in urls)
        requests = _sweep(client, officer, filled, others)
        with capsys.disabled():
            print(f"\n[region sweep] pengelola {officer.username}: {len(filled)} routes, {requests} requests, 0 leaks")


@pytest.mark.usefixtures("two_officials")
def test_lists_of_a_donggala_official_show_nothing_of_poso(donggala, poso, poso_processes, start_proposal):
    mine = start_proposal(donggala["pengusul"])
    poso_names = [p.pengelola.name for p in poso_processes]
    for role in ("verifikator_dinas", "pengusul", "pimpinan"):
        client = client_for(donggala[role])
        for url in ("/legalisasi/inbox/", "/legalisasi/queue/", "/legalisasi/archive/", "/legalisasi/flows/"):
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for name in poso_names:
                assert name not in html, (role, url)
            for process in poso_processes:
                assert not re.search(rf"/legalisasi/{process.pk}/[a-z_]*/?", html), (role, url)
    queue = client_for(donggala["verifikator_dinas"]).get("/legalisasi/queue/").content.decode()
    assert f"/legalisasi/{mine.pk}/verifikasi_dinas/" in queue


def test_the_province_sees_every_kabupaten_and_the_auditor_reads_everything(donggala, province, poso_processes, start_proposal):
    mine = start_proposal(donggala["pengusul"])
    for user in (province["pencatat_provinsi"], province["auditor"]):
        client = client_for(user)
        for process in [mine, *poso_processes]:
            assert client.get(f"/legalisasi/{process.pk}/").status_code == 200
        dokumen = Dokumen.objects.filter(pengelola=mine.pengelola).first()
        assert client.get(dokumen.get_absolute_url()).status_code == 200


@pytest.mark.usefixtures("two_officials")
def test_the_auditor_changes_nothing(donggala, province, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = LegalisasiTask.objects.get(process=process, flow_task=LegalisasiProcess.objects.get(pk=process.pk).flow_class.verifikasi_dinas)
    client = client_for(province["auditor"])
    for url in (f"/legalisasi/{process.pk}/verifikasi_dinas/{task.pk}/assign/",
                f"/legalisasi/{process.pk}/verifikasi_dinas/{task.pk}/execute/",
                "/legalisasi/usulan/", f"/legalisasi/{process.pk}/cancel/", "/admin/sentra/sentra/add/"):
        for method in ("post", "put", "delete"):
            assert getattr(client, method)(url).status_code == 403, (method, url)
    task.refresh_from_db()
    assert task.owner_id is None


def test_a_verifikator_cannot_take_a_task_of_another_role(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = LegalisasiTask.objects.get(process=process, flow_task_type="HUMAN", finished__isnull=True)
    response = client_for(donggala["verifikator_aset"]).post(f"/legalisasi/{process.pk}/verifikasi_dinas/{task.pk}/assign/")
    assert response.status_code == 403


def test_no_page_builds_a_scope_filter_by_hand():
    """Every scoped query goes through ``Model.objects.visible_to(user)`` (``accounts.scope``): the rule's
    region codes are read nowhere else, and no module filters a region path with ``__in`` itself."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent.parent
    rule_homes = {"accounts/scope.py", "accounts/selectors.py"}
    by_hand = re.compile(r"user_visible_region_codes|_scope_q|region_scope_q|region(_id)?__in\b|region__code__in")
    found = []
    # workdays and core serve no user (the calendar's own region filter is not a user's scope).
    for app in ("accounts", "audit", "flows", "notifications", "oversight", "sentra", "workflow_project"):
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative in rule_homes or "/migrations/" in relative:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if by_hand.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "scope filters built by hand:\n" + "\n".join(found)
