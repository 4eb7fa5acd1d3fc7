"""The role groups carry exactly the permissions their steps need (``steps.role_permissions``)."""

from accounts.services import role_groups_sync

from . import laporan_flow  # noqa: F401  (its nodes add their permissions to the report's process model)
from .steps import role_permissions


def roles_sync(*, using: str = "default") -> None:
    """Create the role groups with their flow permissions (idempotent; after every migrate)."""
    role_groups_sync(app_label="flows", permissions=role_permissions(), using=using)
