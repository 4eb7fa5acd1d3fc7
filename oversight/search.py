"""The officials' search: one box, in the user's region scope.

What is typed decides what is looked for (``query_parse``):

- 16 digits: a full NIK, of an anggota IKM (``nik_pemilik``) or a pengurus, exact match only: a NIK is
  never searched by a part of it;
- 13 digits: an anggota's NIB, exact;
- a text with ``/``: an SK number (any case) or a provincial register number, exact;
- ``#12`` or up to 9 digits: the proposal with that number;
- other text (at least 3 characters): the names of sentra and pengelola, by a part of the name
  (trigram GIN indexes on PostgreSQL, a plain ``LIKE`` on SQLite).

The input is normalised first (``query_normalise``): Unicode compatibility forms (full-width digits,
superscripts), any script's decimal digits to ASCII, control and format characters dropped, spaces
folded. Every model is read through ``Model.objects.visible_to(user)``: a match outside the user's
region scope is never found. Each query type costs a fixed number of indexed queries.

A NIK is shown masked (``************3456``) in the results: who typed it knows it; the page never
reveals more of it than the proposal's own pages do.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Action
from flows.models import LegalisasiProcess
from sentra.models import SK, AnggotaIKM, Pengelola, Pengurus, Sentra

MAX_LENGTH = 100
MIN_NAME_LENGTH = 3
LIMIT = 20

NIK, NIB, NUMBER, PROPOSAL, NAME = "nik", "nib", "nomor", "usulan", "nama"


def mask_nik(value: str) -> str:
    """``************3456``: enough to tell two people apart, not enough to be the number."""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def query_normalise(raw: str) -> str:
    """``raw`` as the search reads it: NFKC, every decimal digit as ASCII, no control or format
    characters (NUL, CR/LF, tab, zero-width, bidi marks), single spaces, stripped."""
    text = unicodedata.normalize("NFKC", raw or "")
    chars = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Nd":
            chars.append(str(unicodedata.decimal(ch)))
        elif category[0] in ("C", "Z") and ch != " ":
            chars.append(" " if category in ("Cc", "Zl", "Zp", "Zs") else "")
        else:
            chars.append(ch)
    return re.sub(r" +", " ", "".join(chars)).strip()


@dataclass
class Query:
    kind: str = ""  # one of NIK, NIB, NUMBER, PROPOSAL, NAME; "" when nothing is searched
    value: str = ""
    error: str = ""


def query_parse(raw: str) -> Query:
    """What ``raw`` asks for, or why it cannot be searched (an Indonesian message)."""
    text = query_normalise(raw)
    if not text:
        return Query()
    if len(text) > MAX_LENGTH:
        return Query(error=_("Kata kunci terlalu panjang (paling banyak %(n)s karakter).") % {"n": MAX_LENGTH})
    compact = re.sub(r"[ .\-]", "", text)
    if compact.isascii() and compact.isdigit():
        if len(compact) == 16:
            return Query(NIK, compact)
        if len(compact) == 13:
            return Query(NIB, compact)
        if len(compact) <= 9 and text.isdigit():
            return Query(PROPOSAL, str(int(compact)))
        return Query(error=_(
            "Angka ini bukan NIK lengkap (16 angka) atau NIB (13 angka). NIK hanya dicari dengan 16 angkanya; "
            "nomor usulan paling banyak 9 angka."
        ))
    if "/" in text:
        return Query(NUMBER, text)
    if re.fullmatch(r"#\s*[0-9]{1,9}", text):
        return Query(PROPOSAL, str(int(text.lstrip("#").strip())))
    if len(text) < MIN_NAME_LENGTH:
        return Query(error=_("Ketik paling sedikit %(n)s huruf dari nama sentra atau pengelola.") % {"n": MIN_NAME_LENGTH})
    return Query(NAME, text)


@dataclass
class ProposalHit:
    process: LegalisasiProcess
    reasons: list[str] = field(default_factory=list)


@dataclass
class Results:
    query: Query
    proposals: list[ProposalHit] = field(default_factory=list)
    sentra_without_proposal: list[Sentra] = field(default_factory=list)
    sks: list[SK] = field(default_factory=list)
    more: bool = False  # some kind of match had more than LIMIT rows: ask for a narrower keyword

    @property
    def empty(self) -> bool:
        return not (self.proposals or self.sentra_without_proposal or self.sks)


def _limited(queryset) -> tuple[list, bool]:
    rows = list(queryset[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def nik_search_record(user, nik: str, *, found: int) -> None:
    """A look-up of a person by NIK is an access to personal data: the audit trail records who looked,
    when and how much was found, with the NIK masked and as a keyed digest (an auditor holding a NIK can
    check whether it was searched; the trail itself never holds it in full)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"nik:{nik}".encode(), hashlib.sha256).hexdigest()
    audit.event_record(action=Action.NIK_SEARCH, actor=user,
                       details={"nik": mask_nik(nik), "nik_hmac": digest, "found": found})


def official_search(user, raw: str) -> Results:
    """Search ``raw`` in ``user``'s region scope (``query_parse`` says how)."""
    query = query_parse(raw)
    results = Results(query)
    if not query.kind:
        return results
    reasons: dict[int, list[str]] = {}  # pengelola id -> why its proposals are listed
    sentra_reasons: dict[int, list[str]] = {}  # sentra id -> why its proposals (or the sentra itself) are listed
    sentra_by_id: dict[int, Sentra] = {}
    process_filter = Q()
    more = False

    def because(pengelola_id: int, reason: str) -> None:
        reasons.setdefault(pengelola_id, []).append(reason)

    def member(a: AnggotaIKM, reason: str) -> None:
        """A member listed in a proposal leads to it; one of the census only (no pengelola yet) to its sentra."""
        if a.pengelola_id:
            because(a.pengelola_id, reason)
        else:
            sentra_by_id[a.sentra_id] = a.sentra
            sentra_reasons.setdefault(a.sentra_id, []).append(reason)

    if query.kind == NIK:
        anggota, more_a = _limited(AnggotaIKM.objects.visible_to(user).filter(nik_pemilik=query.value)
                                   .select_related("sentra__region").order_by("pk"))
        pengurus, more_p = _limited(Pengurus.objects.visible_to(user).filter(nik=query.value).order_by("pk"))
        more = more_a or more_p
        for a in anggota:
            member(a, _("Anggota IKM %(usaha)s, pemilik %(pemilik)s, NIK %(nik)s")
                   % {"usaha": a.nama_usaha, "pemilik": a.pemilik, "nik": mask_nik(a.nik_pemilik)})
        for p in pengurus:
            because(p.pengelola_id, _("Pengurus %(nama)s (%(jabatan)s), NIK %(nik)s")
                    % {"nama": p.nama, "jabatan": p.jabatan, "nik": mask_nik(p.nik)})
        nik_search_record(user, query.value, found=len(anggota) + len(pengurus))
    elif query.kind == NIB:
        anggota, more = _limited(AnggotaIKM.objects.visible_to(user).filter(nib=query.value)
                                 .select_related("sentra__region").order_by("pk"))
        for a in anggota:
            member(a, _("Anggota IKM %(usaha)s, NIB %(nib)s") % {"usaha": a.nama_usaha, "nib": a.nib})
    elif query.kind == NUMBER:
        sks, more = _limited(
            SK.objects.visible_to(user).annotate(nomor_lower=Lower("nomor"))
            .filter(Q(nomor_lower=query.value.lower()) | Q(nomor_register=query.value.upper()))
            .select_related("region", "pengelola").order_by("-pk")
        )
        results.sks = sks
        for sk in sks:
            because(sk.pengelola_id, _("SK %(nomor)s") % {"nomor": sk.nomor}
                    + (f" · {_('register')} {sk.nomor_register}" if sk.nomor_register else ""))
    elif query.kind == PROPOSAL:
        process_filter = Q(pk=int(query.value))
    else:  # NAME
        # No ORDER BY in the database: the trigram index's matches stop at the LIMIT (a sort would read
        # them all); the few rows are sorted here.
        sentra, more_s = _limited(Sentra.objects.visible_to(user).filter(name__icontains=query.value)
                                  .select_related("region").order_by())
        pengelola, more_p = _limited(Pengelola.objects.visible_to(user).filter(name__icontains=query.value)
                                     .only("pk", "name").order_by())
        more = more_s or more_p
        for p in pengelola:
            because(p.pk, _("Nama pengelola"))
        for s in sentra:
            sentra_by_id[s.pk] = s
            sentra_reasons.setdefault(s.pk, []).append(_("Nama sentra"))
    if sentra_by_id:
        for pengelola_id in (Pengelola.objects.visible_to(user).filter(sentra_id__in=list(sentra_by_id))
                             .order_by().values_list("pk", flat=True)[: LIMIT * 5]):
            reasons.setdefault(pengelola_id, [])

    more_processes = False
    processes = []
    if reasons:
        process_filter |= Q(pengelola_id__in=list(reasons))
    if process_filter:
        processes, more_processes = _limited(
            LegalisasiProcess.objects.visible_to(user).filter(process_filter)
            .select_related("region", "pengelola__sentra").order_by("-pk")
        )
        more = more or more_processes
        for process in processes:
            why = list(reasons.get(process.pengelola_id, [])) + sentra_reasons.get(process.pengelola.sentra_id, [])
            if query.kind == PROPOSAL:
                why.append(_("Nomor usulan"))
            results.proposals.append(ProposalHit(process, why))
    if not more_processes:
        with_proposal = {p.pengelola.sentra_id for p in processes}
        results.sentra_without_proposal = sorted(
            (s for pk, s in sentra_by_id.items() if pk not in with_proposal), key=lambda s: s.name)
        for s in results.sentra_without_proposal:
            s.reasons = sentra_reasons.get(s.pk, [])
    results.more = more
    return results
