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


def effective_role_names(user_obj) -> frozenset[str]:
    """The user's own roles and the roles they act in today by a Plt./Plh. grant (``ActingGrant``).
    Which region a granted role applies to is the node's check (``accounts.selectors.user_acts_as``)."""
    acting = getattr(user_obj, "acting_roles", ())
    return user_obj.role_names | {role for role, _ in acting} if acting else user_obj.role_names


class RolePermissionBackend(ThrottledModelBackend):
    """The site's one backend: the flow permissions of the user's roles (and of the roles they act in
    by a grant in force), the rest as Django does."""

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and perm.startswith(APP_LABEL + "."):
            if perm in flow_permissions(effective_role_names(user_obj)):
                return True
        return super().has_perm(user_obj, perm, obj)

    def get_all_permissions(self, user_obj, obj=None):
        """Django's, plus the flow permissions of the roles the user acts in by a grant (the queue
        lists tasks by the permissions a user holds)."""
        permissions = super().get_all_permissions(user_obj, obj)
        acting = getattr(user_obj, "acting_roles", ())
        if acting and user_obj.is_active and not user_obj.is_anonymous and obj is None:
            permissions = {*permissions, *flow_permissions({role for role, _ in acting})}
        return permissions
