"""Audited models are only changed through save()/delete(), never by bulk update() or raw SQL.

A bulk update or raw SQL bypasses django-simple-history: the change would leave no history row. This
test reads the project's source (not its behaviour), so a new bulk write on an audited model fails CI.
"""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "audit", "flows", "notifications", "sentra", "workflow_project")
BULK_METHODS = {"update", "bulk_update", "raw", "_raw_delete"}


def _audited_models():
    return [m for m in apps.get_models() if hasattr(m, "history") and not m.__name__.startswith("Historical")]


def _audited_names() -> tuple[set[str], set[str]]:
    """Class names and reverse accessors (``dokumen_set``) of audited models, and their table names."""
    names, tables = set(), set()
    for model in _audited_models():
        names.add(model.__name__)
        tables.add(model._meta.db_table)
        for rel in model._meta.related_objects:
            if rel.related_model in _audited_models():
                names.add(rel.get_accessor_name())
    from audit.models import AuditEvent

    names.add(AuditEvent.__name__)
    tables.add(AuditEvent._meta.db_table)
    return names, tables


def _root_name(node) -> list[str]:
    """The names along a call chain: Dokumen.objects.filter(x).update -> [update, filter, objects, Dokumen]."""
    chain = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            chain.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            chain.append(node.id)
            return chain
        else:
            return chain


def _source_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_bulk_update_or_raw_sql_touches_an_audited_model():
    names, tables = _audited_names()
    assert {"Dokumen", "SK", "Pengelola", "LegalisasiProcess", "Keputusan", "dokumen_set"} <= names
    violations = []
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in BULK_METHODS:
                chain = _root_name(node.func.value)
                if any(name in names for name in chain):
                    violations.append(f"{path.relative_to(ROOT)}:{node.lineno} {'.'.join(reversed(chain))}.{node.func.attr}()")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                sql = node.value.upper()
                if any(verb in sql for verb in ("UPDATE ", "DELETE FROM", "INSERT INTO")):
                    for table in tables:
                        if table.upper() in sql:
                            violations.append(f"{path.relative_to(ROOT)}:{node.lineno} raw SQL on {table}")
    assert violations == []


def test_the_check_catches_a_bulk_update(tmp_path):
    """The scan itself can fail: a bulk update written like the real code is found."""
    names, _ = _audited_names()
    tree = ast.parse("Dokumen.objects.filter(pengelola=p).update(superseded=True)\n")
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in BULK_METHODS]
    assert calls and any(name in names for name in _root_name(calls[0].func.value))
