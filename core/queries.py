"""Query helpers that know no model."""

from django.db.models import Aggregate, TextField, Value


def filter_given(queryset, **lookups):
    """``queryset`` narrowed by each lookup whose value was given (``None`` and ``""`` mean "any")."""
    given = {lookup: value for lookup, value in lookups.items() if value not in (None, "")}
    return queryset.filter(**given) if given else queryset


class StringJoin(Aggregate):
    """The values of a group joined into one string by ``delimiter`` (in no particular order), ``NULL``
    for no rows: ``string_agg`` on PostgreSQL, ``group_concat`` on SQLite.

    Django 5.2 has no portable one (``django.contrib.postgres``' ``StringAgg`` is PostgreSQL's only; a
    portable ``StringAgg`` arrives in 6.0). The delimiter is a query parameter, so a control character
    that no value contains can be used.
    """

    function = "STRING_AGG"  # PostgreSQL's, the default
    output_field = TextField()

    def __init__(self, expression, delimiter: str, **extra):
        super().__init__(expression, Value(delimiter), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)
