"""Flow permissions answered from the step table, without reading the permission tables.

The role groups hold exactly ``steps.role_permissions()`` (``roles.roles_sync`` writes them after
every migrate, for the admin to see), so a user's flow permissions follow from their role names,
which every request reads anyway (``User.role_names``). This backend answers the ``flows``
permissions of an active user from those names; anything else goes to the accounts' backend
(Django's ``ModelBackend`` with the login throttle), which reads the tables as before.
"""

from functools import cache

from accounts.backends import ThrottledModelBackend

from .steps import role_permissions

APP_LABEL = "flows"


@cache
def _permissions_by_role() -> dict[str, frozenset[str]]:
    return {role.value: frozenset(f"{APP_LABEL}.{c}" for c in codenames) for role, codenames in role_permissions().items()}


def flow_permissions(role_names) -> frozenset[str]:
    by_role = _permissions_by_role()
    return frozenset().union(*(by_role.get(name, ()) for name in role_names))


class RolePermissionBackend(ThrottledModelBackend):
    """The site's one backend: the flow permissions of the user's roles, the rest as Django does."""

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and perm.startswith(APP_LABEL + "."):
            if perm in flow_permissions(user_obj.role_names):
                return True
        return super().has_perm(user_obj, perm, obj)
