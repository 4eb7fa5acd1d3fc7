"""Helpers for tests that act like officials: log in, claim a task, submit its form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from flows.demo import demo_asset_lines, pdf_bytes
from flows.models import LegalisasiTask
from flows.operations import open_task

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite ignores SELECT ... FOR UPDATE, so row-lock behaviour cannot be tested on it",
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def task_of(process, step: str) -> LegalisasiTask:
    task = open_task(process, step)
    assert task is not None, f"no open task {step} in process {process.pk}"
    return task


def task_url(task, action: str = "execute") -> str:
    return f"/legalisasi/{task.process_id}/{task.flow_task.name}/{task.pk}/{action}/"


def act(user, process, step: str, data: dict | None = None, *, claim: bool = True):
    """Claim (if needed) and submit the task ``step`` of ``process`` as ``user``; return the response."""
    client = client_for(user)
    task = task_of(process, step)
    if claim and task.owner_id is None:
        response = client.post(task_url(task, "assign"))
        assert response.status_code == 302, response.content[:500]
    return client.post(task_url(task), data or {})


def assets_recorded(process, bpkad):
    """BPKAD records the sentra's DAK asset lines (a building, a machine), each on the basis the law allows
    the pengelola's legal form (``flows.demo.demo_asset_lines``): without them BPKAD cannot approve."""
    return demo_asset_lines(process.pengelola, bpkad, seed=process.pk)


def decision(hasil: str, catatan: str = "", **extra) -> dict:
    return {"keputusan-hasil": hasil, "keputusan-catatan": catatan, **extra}


def pdf_upload(name: str = "sk.pdf", title: str = "SK"):
    return SimpleUploadedFile(name, pdf_bytes(title), content_type="application/pdf")



def form_errors(response) -> str:
    """The error messages a page shows (for assertion messages)."""
    import re

    html = response.content.decode()
    found = re.findall(r'class="sk-error[^"]*"[^>]*>(.*?)</', html, re.S)
    found += re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', html, re.S)
    found += re.findall(r'sk-msg--error">(.*?)</', html, re.S)
    return f"{response.status_code}: " + " | ".join(x.strip() for x in found)


def full_sweep(now=None) -> dict:
    """What beat runs every minute: the flow's reminders, then the outbox's digests and pickup."""
    from flows import reminders
    from notifications import outbox

    result = {"reminders": reminders.reminders_create_due(now=now)}
    result.update(outbox.sweep(now=now))
    return result
