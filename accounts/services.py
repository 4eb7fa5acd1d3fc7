"""Writes about users and roles."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User
from .roles import Role


@transaction.atomic
def role_groups_sync(*, app_label: str, permissions: dict[Role, tuple[str, ...]], using: str = "default") -> None:
    """Create the role groups and give each exactly ``permissions[role]`` (codenames of ``app_label``).

    Idempotent; which permissions a role needs is the caller's rule (``flows.steps.role_permissions``).
    """
    create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    perms = {p.codename: p for p in Permission.objects.using(using).filter(content_type__app_label=app_label)}
    for role, codenames in permissions.items():
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
