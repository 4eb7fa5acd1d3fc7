import pytest


@pytest.fixture(autouse=True)
def audit_anchor_dir(settings, tmp_path):
    """Each test its own anchor file: an anchor of one test's chain is no anchor of the next test's."""
    settings.SKSENTRA_AUDIT_ANCHOR_DIR = str(tmp_path / "audit-anchors")
