"""Query helpers that know no model."""

import datetime as dt
import json
import uuid
from decimal import Decimal

from django.db import connection
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


# --- many rows in one statement -------------------------------------------------------------------
# The reminder sweep writes thousands of rows at a time. Django's ``bulk_create`` and ``update`` send
# one parameter per value, and the psycopg client-side binding Django uses quotes each of them in
# Python (about 1.5 s for 10,000 outbox rows, most of the sweep's time). On PostgreSQL the helpers
# below send the rows as one JSON document instead, which the server turns back into rows of the
# table's own type (``jsonb_populate_recordset``): one parameter, quoted once. Elsewhere (SQLite,
# the embedded mode) they use the ORM's own calls; the outcome is the same.


def _json_value(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a column value")


def _rows_document(model, rows: list[dict], fields) -> str:
    """``rows`` (attribute name → value) as the JSON array ``jsonb_populate_recordset`` reads, keyed by column."""
    renamed = {f.attname: f.column for f in fields if f.attname != f.column}
    if renamed:
        rows = [{renamed.get(key, key): value for key, value in row.items()} for row in rows]
    return json.dumps(rows, default=_json_value, separators=(",", ":"))


def rows_insert_new(model, rows: list[dict], *, unique: str) -> None:
    """Insert ``rows`` (attribute name → value; a field left out takes its default) in one statement,
    leaving alone every row whose ``unique`` field's value is there already, as
    ``bulk_create(ignore_conflicts=True)`` does."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], ignore_conflicts=True)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    document = _rows_document(model, [{**defaults, **row} for row in rows], fields)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    conflict = connection.ops.quote_name(model._meta.get_field(unique).column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) "
            f"ON CONFLICT ({conflict}) DO NOTHING",
            [document],
        )


def rows_update(model, rows: list[dict], fields: list[str]) -> None:
    """Write ``fields`` (field names, of the model's own table) of each of ``rows`` (field name → value, and
    ``"pk"``) in one statement on PostgreSQL; elsewhere one UPDATE per distinct set of values. No ``save()`` runs: no signal, no
    history row (for bookkeeping columns such as a next reminder's time)."""
    if not rows:
        return
    pk = model._meta.pk
    if connection.vendor != "postgresql":
        groups: dict[tuple, list] = {}
        for row in rows:
            groups.setdefault(tuple(row[name] for name in fields), []).append(row["pk"])
        for values, ids in groups.items():
            model.objects.filter(pk__in=ids).update(**dict(zip(fields, values)))
        return
    columns = [model._meta.get_field(name) for name in fields]
    document = _rows_document(
        model, [{pk.attname: row["pk"], **{f.attname: row[name] for name, f in zip(fields, columns)}} for row in rows],
        [pk, *columns])
    table, quote = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) AS v "
            f"WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}",
            [document],
        )
