"""Users of SK Sentra: officials attached to one region, with roles as groups."""

import datetime as dt

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.queries import StringJoin

from .phone import normalize_phone
from .roles import Role


class User(AbstractUser):
    """An official (or a sentra's pengurus) who acts for one region in a given capacity."""

    region = models.ForeignKey(
        "sentra.Region",
        verbose_name=_("wilayah tugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Kabupaten/kota atau provinsi yang dilayani pengguna ini."),
    )
    # A pengelola's officer sees their own sentra only (``accounts.scope``); officials have none.
    sentra = models.ForeignKey(
        "sentra.Sentra",
        verbose_name=_("sentra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pengelola_users",
        help_text=_("Hanya untuk peran pengelola: sentra yang dikelolanya. Wilayah tugas adalah kabupaten/kota sentra itu."),
    )
    phone = models.CharField(
        _("nomor WhatsApp/telepon"), max_length=15, blank=True, help_text=_("Disimpan sebagai 62…")
    )
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    @cached_property
    def _roles(self) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
        """The user's own role names and the (role, region) pairs they act in today by an Plt./Plh.
        grant (``ActingGrant``). Every request reads them (the permission backend, the region scope):
        the request's user carries them in its own row (``users_with_roles``, used by the
        authentication backend), so they cost no statement; a user loaded elsewhere reads them in one
        query, a grant costing no statement more than the roles alone. Either way they are read afresh
        by every request, never kept across requests."""
        if _ROLES_JOINED in self.__dict__:
            return _roles_decode(self.__dict__[_ROLES_JOINED], self.__dict__[_GRANTS_JOINED])
        own = Group.objects.filter(user=self).annotate(region_code=Value("", output_field=models.CharField())).order_by()
        granted = ActingGrant.objects.in_force(self, timezone.localdate()).annotate(name=models.F("role"),
                                                                               region_code=models.F("region_id")).order_by()
        return _roles_split(own.values_list("name", "region_code").union(
            granted.values_list("name", "region_code"), all=True
        ))

    @property
    def role_names(self) -> frozenset[str]:
        """The user's own roles (groups)."""
        return self._roles[0]

    @property
    def acting_roles(self) -> frozenset[tuple[str, str]]:
        """(role, region code) the user acts in today by a grant in force (Plt./Plh.)."""
        return self._roles[1]

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names


# The request's user carries its roles in two annotations (``users_with_roles``): its group names and its
# grants in force as "role<_PAIR>region", each list joined by _ITEM. Control characters, passed as query
# parameters: no role, group name or region code contains them.
_ROLES_JOINED, _GRANTS_JOINED = "_role_names_joined", "_acting_grants_joined"
_ITEM, _PAIR = "\x1f", "\x1e"


def _roles_split(rows) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """(name, region code) rows: a region code makes an acting role in that region, none an own role."""
    own_names, acting = set(), set()
    for name, region_code in rows:
        if region_code:
            acting.add((name, region_code))
        else:
            own_names.add(name)
    return frozenset(own_names), frozenset(acting)


def _roles_decode(names_joined: str | None, grants_joined: str | None):
    """What ``User._roles`` reads from the annotations (``None``: no rows)."""
    own = [] if names_joined is None else [(name, "") for name in names_joined.split(_ITEM)]
    granted = [] if grants_joined is None else [tuple(item.split(_PAIR, 1)) for item in grants_joined.split(_ITEM)]
    return _roles_split([*own, *granted])


def users_with_roles(queryset, day: dt.date | None = None):
    """``queryset`` of users, each carrying its role names and its Plt./Plh. grants in force on ``day``
    (today by default, as ``ActingGrant.objects.in_force``) in its own row: two scalar subqueries in
    the user's SELECT, so ``User.role_names`` and ``acting_roles`` cost no statement of their own. The
    authentication backend loads the request's user this way (``accounts.backends``)."""
    day = day or timezone.localdate()
    names = (Group.objects.filter(user=OuterRef("pk")).order_by().values("user")
             .annotate(joined=StringJoin("name", _ITEM)).values("joined"))
    grants = (ActingGrant.objects.in_force(day=day).filter(user=OuterRef("pk")).order_by().values("user")
              .annotate(joined=StringJoin(Concat("role", Value(_PAIR), "region_id"), _ITEM)).values("joined"))
    return queryset.annotate(**{_ROLES_JOINED: Subquery(names), _GRANTS_JOINED: Subquery(grants)})


class LoginThrottle(models.Model):
    """Recent wrong passwords typed for one username from one IP address, and the lock they caused.

    The key is always the pair: officials of one office share one public address (NAT), so a lock
    never reaches a colleague behind the same address, nor the same username typed from elsewhere.
    Rules live in ``accounts.throttle``; a row disappears at the next successful login of the pair.
    """

    username = models.CharField(_("nama pengguna yang diketik"), max_length=150)
    ip_address = models.GenericIPAddressField(_("alamat IP"))
    failures = models.PositiveIntegerField(_("jumlah percobaan gagal"), default=0)
    first_failure_at = models.DateTimeField(_("percobaan gagal pertama"))
    last_failure_at = models.DateTimeField(_("percobaan gagal terakhir"), db_index=True)
    locked_until = models.DateTimeField(_("terkunci sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pembatasan masuk")
        verbose_name_plural = _("pembatasan masuk")
        constraints = [
            models.UniqueConstraint(fields=["username", "ip_address"], name="login_throttle_one_row_per_pair"),
        ]

    def __str__(self):
        return f"{self.username} @ {self.ip_address}"


class Kapasitas(models.TextChoices):
    """In which capacity someone acts for an official who is away or whose post is vacant."""

    PLT = "plt", _("Plt. (Pelaksana Tugas)")
    PLH = "plh", _("Plh. (Pelaksana Harian)")


KAPASITAS_PREFIX = {Kapasitas.PLT: "Plt.", Kapasitas.PLH: "Plh."}


class ActingGrantQuerySet(models.QuerySet):
    def in_force(self, user=None, day: dt.date | None = None):
        """Grants in force on ``day`` (today by default): started, not past their end, not ended early."""
        day = day or timezone.localdate()
        queryset = self.filter(starts_on__lte=day, ends_on__gte=day, ended_at__isnull=True)
        return queryset if user is None else queryset.filter(user=user)


class ActingGrant(models.Model):
    """A user acts in a role in a region for a period (Plt./Plh.), on the basis of a surat perintah.

    While in force (``starts_on`` to ``ends_on``, both included, and not ended early) the user sees and
    acts on that role's tasks in that region: ``User.acting_roles`` feeds the permission backend, the
    region scope and the lists of who may take a task. The daily job (``flows.delegation``) records the
    start and the end in the audit trail and sets ``ended_at`` once the period is over.
    """

    user = models.ForeignKey("accounts.User", verbose_name=_("pejabat"), on_delete=models.PROTECT,
                             related_name="acting_grants")
    role = models.CharField(_("peran yang dijalankan"), max_length=30, choices=Role.choices)
    region = models.ForeignKey("sentra.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    kapasitas = models.CharField(_("kapasitas"), max_length=3, choices=Kapasitas.choices)
    basis_number = models.CharField(_("nomor surat perintah"), max_length=100)
    basis_date = models.DateField(_("tanggal surat perintah"))
    basis_scan = models.FileField(_("pindaian surat perintah"), upload_to="surat-perintah/%Y/", max_length=200)
    basis_sha256 = models.CharField(_("SHA-256 pindaian"), max_length=64)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("sampai"))
    started_at = models.DateTimeField(_("mulai berlaku tercatat"), null=True, blank=True)
    ended_at = models.DateTimeField(_("berakhir"), null=True, blank=True)
    granted_by = models.ForeignKey("accounts.User", verbose_name=_("dicatat oleh"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    objects = ActingGrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pelaksana tugas/harian (Plt./Plh.)")
        verbose_name_plural = _("pelaksana tugas/harian (Plt./Plh.)")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="acting_grant_ends_after_start"),
        ]
        indexes = [models.Index(fields=["role", "region", "ends_on"])]

    def __str__(self):
        return f"{self.capacity_title} — {self.user}"

    @property
    def capacity_title(self) -> str:
        """"Plt. Verifikator Disperindag kab/kota" """
        return f"{KAPASITAS_PREFIX[self.kapasitas]} {Role(self.role).label}"

    @property
    def basis_text(self) -> str:
        """"berdasarkan Surat Perintah Nomor … tanggal …" """
        return _("berdasarkan Surat Perintah Nomor %(nomor)s tanggal %(tanggal)s") % {
            "nomor": self.basis_number, "tanggal": self.basis_date.strftime("%d-%m-%Y")}


class AbsenceQuerySet(models.QuerySet):
    def in_force(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day, cancelled_at__isnull=True)


class Absence(models.Model):
    """A user is away (leave, duty travel) from ``starts_on`` to ``ends_on``; ``substitute`` takes the
    new tasks that would have been theirs and their reminders meanwhile (``flows.delegation``)."""

    user = models.ForeignKey("accounts.User", verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="absences")
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("sampai"))
    substitute = models.ForeignKey("accounts.User", verbose_name=_("pengganti"), on_delete=models.PROTECT,
                                   related_name="+")
    note = models.TextField(_("keterangan"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name=_("dicatat oleh"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)

    objects = AbsenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ketidakhadiran")
        verbose_name_plural = _("ketidakhadiran")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"),
            models.CheckConstraint(condition=~Q(substitute=models.F("user")), name="absence_substitute_is_another"),
        ]

    def __str__(self):
        return f"{self.user}: {self.starts_on} – {self.ends_on}"
