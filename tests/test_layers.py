"""The apps import downward only, and no import hides in a function body to dodge a cycle.

Layers, top to bottom (an app may import any app below it, never one above; apps on one line are
independent of each other):

    workflow_project            config: settings, URLs, the Celery app
    oversight                   auditor pages, province dashboard, the audit chain's daily check
    flows                       the Flow, its step table, process models, task pages, reminders
    sentra | notifications      the register's domain | messages to people (knows no step)
    produk_hukum                what a Keputusan cites and the offices it names, per region
    audit                       records and verifies the trail (alerts nobody)
    accounts | workdays         users, roles, region scope | the business calendar
    core                        domain-neutral: the rule-violation error, spreadsheet guard

Read from the source with ``ast``: every ``import`` and ``from … import`` of every module of our apps
(migrations included, tests and bench excluded).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    {"workflow_project", "api"},
    {"oversight"},
    {"flows"},
    {"sentra", "notifications"},
    {"produk_hukum"},
    {"audit"},
    {"accounts", "workdays"},
    {"core"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _imports(path: Path):
    """(imported top-level app, line, inside a function?) for each import of a project app in ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def in_function(node):
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return True
        return False

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in RANK:
                yield top, node.lineno, in_function(node)


def _modules():
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def test_every_app_is_in_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"workflow_project", "core"}
    assert apps == set(RANK), f"add the new app to LAYERS: {apps ^ set(RANK)}"


def test_no_app_imports_a_higher_or_sibling_layer():
    wrong = []
    for app, path in _modules():
        for imported, line, _ in _imports(path):
            if imported != app and RANK[imported] <= RANK[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} {app} -> {imported}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_of_another_app_hides_in_a_function_body():
    hidden = []
    for app, path in _modules():
        for imported, line, in_function in _imports(path):
            if in_function and imported != app:
                hidden.append(f"{path.relative_to(ROOT)}:{line} {app} -> {imported}")
    assert not hidden, "imports of another app inside a function:\n" + "\n".join(hidden)


def test_the_layer_test_sees_a_violation(tmp_path):
    """The reader above catches an upward import and a hidden one (so the tests above can fail)."""
    module = tmp_path / "probe.py"
    module.write_text("import accounts.roles\n\ndef f():\n    from flows import steps\n")
    found = list(_imports(module))
    assert ("accounts", 1, False) in found and ("flows", 4, True) in found
