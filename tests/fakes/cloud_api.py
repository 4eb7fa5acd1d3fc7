"""A local HTTP server speaking WhatsApp's Cloud API, for tests and the delivery benchmark.

It validates every request body against the contract's JSON Schema, records what it received, and
can be told to answer the next requests with a given error code, or to hang.
"""

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "contracts" / "whatsapp-cloud-api" / "messages.schema.json"
_ERROR_TITLES = {
    130429: "Rate limit hit", 131026: "Message undeliverable", 190: "Access token has expired",
    131056: "Pair rate limit hit", 131000: "Something went wrong", 132001: "Template does not exist",
}


class FakeCloudAPI:
    def __init__(self, *, token="test-token", phone_number_id="123456789", version="v23.0", max_per_second=None):
        self.token, self.phone_number_id, self.version = token, phone_number_id, version
        self.schema = json.loads(SCHEMA_PATH.read_text())
        self.validator = jsonschema.Draft202012Validator(self.schema)
        self.requests: list[dict] = []
        self.invalid: list[str] = []
        self.script: list = []  # per request: "ok", ("error", code), ("hang", seconds)
        self.max_per_second = max_per_second
        self.throttled = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._per_second: dict[int, int] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        # A client that gave up on a hanging answer closes the socket: not an error worth printing.
        self.server.handle_error = lambda request, client_address: None
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _next_behaviour(self):
        with self._lock:
            return self.script.pop(0) if self.script else "ok"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, code: int):
                self._answer(status, {"error": {"message": _ERROR_TITLES.get(code, "error"), "type": "OAuthException",
                                                "code": code, "fbtrace_id": "Atest"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if self.path != f"/{fake.version}/{fake.phone_number_id}/messages":
                    return self._answer(404, {"error": {"message": "Unknown path", "type": "GraphMethodException", "code": 100}})
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._error(401, 190)
                try:
                    body = json.loads(raw)
                    errors = sorted(fake.validator.iter_errors(body), key=str)
                except ValueError as exc:
                    body, errors = None, [exc]
                with fake._lock:
                    fake.requests.append({"body": body, "at": time.time()})
                    if errors:
                        fake.invalid.append("; ".join(str(e)[:200] for e in errors))
                if errors:
                    return self._answer(400, {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}})
                if fake.max_per_second:
                    second = int(time.time())
                    with fake._lock:
                        fake._per_second[second] = fake._per_second.get(second, 0) + 1
                        over = fake._per_second[second] > fake.max_per_second
                        fake.throttled += over
                    if over:
                        return self._error(400, 130429)
                behaviour = fake._next_behaviour()
                if isinstance(behaviour, tuple) and behaviour[0] == "hang":
                    time.sleep(behaviour[1])
                    return self._error(503, 131000)
                if isinstance(behaviour, tuple) and behaviour[0] == "error":
                    return self._error(400, behaviour[1])
                wamid = f"wamid.TEST{next(fake._ids):08d}"
                self._answer(200, {"messaging_product": "whatsapp",
                                   "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                   "messages": [{"id": wamid, "message_status": "accepted"}]})

        return Handler
