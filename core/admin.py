"""Permissions shared by the admin pages of rows that the site's services or jobs write.

``core`` is no installed app, so Django's admin autodiscovery never imports this module: it holds
mixins only, to be mixed in before ``ModelAdmin`` (or ``SimpleHistoryAdmin``).
"""


class ViewOnlyAdminMixin:
    """Rows written only by a job or a service (which check and audit them): the admin shows them and
    never adds or edits one. Deleting stays as the model admin decides (e.g. a stale import record)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin(ViewOnlyAdminMixin):
    """Append-only or service-owned rows: the admin neither adds, edits nor deletes one."""

    def has_delete_permission(self, request, obj=None):
        return False
