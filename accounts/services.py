"""Writes about users and roles."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User
from .roles import Role

_VIEW = "view_legalisasiprocess"


def _step(name: str) -> str:
    return f"can_{name}_legalisasiprocess"


# The flow permissions each role holds; region scope is applied on top of these everywhere.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.PENGUSUL: (_VIEW, _step("usulan"), _step("perbaikan")),
    Role.VERIFIKATOR_DINAS: (_VIEW, _step("verifikasi_dinas")),
    Role.VERIFIKATOR_ASET: (_VIEW, _step("verifikasi_aset")),
    Role.BAGIAN_HUKUM: (_VIEW, _step("harmonisasi_hukum")),
    Role.KEPALA_DAERAH: (_VIEW, _step("penetapan_sk")),
    Role.PENCATAT_PROVINSI: (_VIEW, _step("pencatatan_provinsi")),
    Role.PIMPINAN: (_VIEW,),
    Role.AUDITOR: (_VIEW,),
}


@transaction.atomic
def roles_sync(*, using: str = "default") -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    create_permissions(apps.get_app_config("flows"), verbosity=0, using=using)
    perms = {p.codename: p for p in Permission.objects.using(using).filter(content_type__app_label="flows")}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set([perms[c] for c in codenames])


@transaction.atomic
def user_create(*, username: str, roles, password: str | None = None, password_hash: str | None = None, region=None, email: str = "", first_name: str = "",
                last_name: str = "", phone: str = "", jabatan: str = "") -> User:
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name,
        region=region, phone=phone, jabatan=jabatan,
    )
    if password_hash is not None:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
    return user
