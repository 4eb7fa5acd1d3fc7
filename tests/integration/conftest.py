"""Real pieces on loopback: a Redis server of our own, an SMTP server, the fake Cloud API and Celery workers."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from tests.fakes.cloud_api import FakeCloudAPI

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class RedisServer:
    """A redis-server of the test's own on a free port, which the test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, message="redis-server")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class MailSink:
    """A real SMTP server (aiosmtpd) collecting what it receives."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "data": envelope.content.decode("utf8", "replace")})
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if address in m["to"]]


class Worker:
    """``celery worker`` as a real process against the test database, our Redis, SMTP and Cloud API."""

    def __init__(self, env: dict):
        self.env = env
        self.proc = None

    def start(self, concurrency: int = 2):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workflow_project", "worker", "--loglevel", "WARNING",
             "--pool", "prefork", "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--hostname", f"test-{os.getpid()}-{time.monotonic_ns()}@localhost"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )
        time.sleep(2.5)  # boot: import Django, connect to Redis
        assert self.proc.poll() is None, "celery worker died at start"
        return self

    def kill(self):
        """SIGKILL the whole worker (main process and pool children): nothing gets to clean up."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def _use_broker(url: str):
    """Point this test process's Celery producer at ``url`` (the workers read it from their env)."""
    from workflow_project.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def pipeline(settings, transactional_db, regions):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process must share the test database (SQLite's is in memory)")
    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server binary to run a Redis of the test's own")
    redis_server = RedisServer().start()
    sink = MailSink()
    sink.controller.start()
    cloud = FakeCloudAPI().start()
    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_API_BASE_URL = cloud.base_url
    settings.WHATSAPP_TOKEN = cloud.token
    settings.WHATSAPP_PHONE_NUMBER_ID = cloud.phone_number_id
    settings.SKSENTRA_OFFICE_HOURS_ENFORCED = False
    settings.SKSENTRA_SEND_LEASE_SECONDS = 3
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SKSENTRA_", "WHATSAPP_", "EMAIL_"))},
        "DJANGO_SETTINGS_MODULE": "workflow_project.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SKSENTRA_TEST_BROKER_URL": redis_server.url,
        "SKSENTRA_TEST_VISIBILITY_TIMEOUT": "20",
        "REDIS_URL": redis_server.url,
        "SKSENTRA_TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "WHATSAPP_ENABLED": "1",
        "WHATSAPP_API_BASE_URL": cloud.base_url,
        "WHATSAPP_TOKEN": cloud.token,
        "WHATSAPP_PHONE_NUMBER_ID": cloud.phone_number_id,
        "WHATSAPP_TIMEOUT_SECONDS": "60",
        "SKSENTRA_OFFICE_HOURS_ENFORCED": "0",
        "SKSENTRA_SEND_LEASE_SECONDS": "3",
    }
    _use_broker(redis_server.url)
    workers = []

    def new_worker(concurrency: int = 2) -> Worker:
        worker = Worker(env).start(concurrency)
        workers.append(worker)
        return worker

    ns = type("Pipeline", (), {})()
    ns.redis, ns.mail, ns.cloud, ns.new_worker, ns.wait_for = redis_server, sink, cloud, new_worker, wait_for
    yield ns
    for worker in workers:
        worker.stop()
    _use_broker("memory://")
    cloud.stop()
    sink.controller.stop()
    redis_server.stop()
