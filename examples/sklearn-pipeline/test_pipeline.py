#!/usr/bin/env python3
"""Self-test for pipeline.py against a tiny in-process mock of the gate API.

Stdlib only (unittest + http.server), so it runs wherever the example runs:

    /usr/bin/python3 examples/sklearn-pipeline/test_pipeline.py

The mock is not the real server: it checks that the example speaks the
documented protocol and maps gate outcomes to the documented exit codes.
The waiting is done by the project's CLI (cli/approval-gate.mjs), so these
tests also need Node.js 20+ on PATH.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pipeline  # noqa: E402  (needs the path tweak above)

TOKEN = "test-token"
MODEL = "breast-cancer-screening"


class MockGate:
    """Server state: a script of gate statuses per version, plus a request log."""

    def __init__(self, scripts: dict[int, list[dict[str, Any]]]) -> None:
        # scripts[v][0] answers the approval request, later items answer GETs;
        # the last item repeats.  A dict with "http_status" is sent as an error.
        self.scripts = scripts
        self.requests: list[tuple[str, str, Any]] = []
        self.next_version = 1
        self.reject_registration: dict[str, Any] | None = None

    def gate_answer(self, version: int) -> dict[str, Any]:
        """Next scripted status for a version."""
        script = self.scripts[version]
        return script.pop(0) if len(script) > 1 else script[0]


def make_handler(state: MockGate) -> type[BaseHTTPRequestHandler]:
    """Request handler class bound to one MockGate."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def send_json(self, status: int, body: dict[str, Any], problem: bool = False) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            kind = "application/problem+json" if problem else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            url = urlsplit(self.path)
            state.requests.append((method, self.path, body))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self.send_json(401, {"title": "Unauthorized", "status": 401}, problem=True)
                return
            parts = url.path.strip("/").split("/")  # api v1 models NAME versions [V] [x]
            if method == "POST" and len(parts) == 5:
                if state.reject_registration:
                    self.send_json(422, state.reject_registration, problem=True)
                    return
                version, state.next_version = state.next_version, state.next_version + 1
                self.send_json(201, {"version": version, "model": parts[3], "model_id": 7})
                return
            version = int(parts[5])
            if parts[6] == "deployments":
                self.send_json(201, {"id": 99, "version": version, **(body or {})})
                return
            if method == "GET":
                assert parse_qs(url.query)["environment"] == ["production"]
            answer = state.gate_answer(version)
            if "http_status" in answer:
                self.send_json(answer["http_status"], answer, problem=True)
                return
            self.send_json(201 if method == "POST" else 200, gate(**answer))

        def do_GET(self) -> None:
            self.handle_any("GET")

        def do_POST(self) -> None:
            self.handle_any("POST")

    return Handler


def gate(status: str, **extra: Any) -> dict[str, Any]:
    """A full gate status document with defaults for the unspecified fields."""
    document = {
        "status": status,
        "approved_by": [],
        "missing_metrics": [],
        "decisions": [],
        "reason": None,
        "on_reject": "fail_pipeline",
        "review_url": "http://gate.test/review/1",
    }
    document.update(extra)
    return document


class PipelineAgainstMock(unittest.TestCase):
    """End-to-end runs of pipeline.main() against the mock server."""

    def start(self, scripts: dict[int, list[dict[str, Any]]]) -> MockGate:
        state = MockGate(scripts)
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        return state

    def run_main(self, *extra: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--url", self.url, "--token", TOKEN, "--classifiers", "logreg,naive_bayes",
                "--poll", "1", *extra]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = pipeline.main(argv)
        return code, out.getvalue(), err.getvalue()

    def test_deploys_best_approved_version(self) -> None:
        state = self.start({
            1: [gate("pending_review"), gate("approved", approved_by=["alice"])],
            2: [gate("awaiting_metrics", missing_metrics=["latency_p95"]),
                gate("approved", approved_by=["bob"])],
        })
        code, out, _ = self.run_main()
        self.assertEqual(code, 0)
        self.assertIn("missing metrics: latency_p95", out)
        self.assertIn("review at http://gate.test/review/1", out)
        deployments = [r for r in state.requests if r[1].endswith("/deployments")]
        # logreg (v1) has the higher roc_auc on breast_cancer with seed 42.
        self.assertEqual(deployments, [("POST", f"/api/v1/models/{MODEL}/versions/1/deployments",
                                        {"environment": "production"})])
        registration = state.requests[0][2]
        self.assertEqual(registration["tags"]["classifier"], "logreg")
        self.assertEqual({m["name"] for m in registration["metrics"]},
                         {"accuracy", "precision", "recall", "f1", "roc_auc", "train_seconds"})

    def test_rejection_fails_pipeline(self) -> None:
        decision = {"by": "carol", "decision": "reject", "comment": "recall too low", "at": "now"}
        rejected = gate("rejected", reason="rejected by carol", decisions=[decision])
        self.start({1: [gate("pending_review"), rejected], 2: [rejected]})
        code, _, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("recall too low", err)
        self.assertIn("REJECTED", err)

    def test_timeout_exits_2(self) -> None:
        self.start({1: [gate("pending_review")], 2: [gate("expired", reason="too old")]})
        code, _, err = self.run_main("--wait-timeout", "1")
        self.assertEqual(code, 2)
        self.assertIn("gave up waiting", err)

    def test_problem_json_is_reported(self) -> None:
        state = self.start({})
        state.reject_registration = {
            "type": "about:blank", "title": "Validation failed", "status": 422,
            "code": "validation_error", "detail": "metrics are invalid",
            "errors": [{"field": "metrics[0].value", "rule": "finite", "message": "not finite"}],
        }
        code, _, err = self.run_main()
        self.assertEqual(code, 3)
        self.assertIn("HTTP 422 Validation failed", err)
        self.assertIn("metrics[0].value", err)

    def test_transient_503_while_waiting_is_retried(self) -> None:
        # The CLI retries after 3 s; this test waits for it once.
        self.start({
            1: [gate("pending_review"), {"http_status": 503, "title": "Unavailable"},
                gate("approved", approved_by=["alice"])],
            2: [gate("rejected", reason="no")],
        })
        code, _, err = self.run_main()
        self.assertEqual(code, 0)
        self.assertIn("retry 1/", err)

    def test_waiting_is_done_by_the_cli(self) -> None:
        state = self.start({1: [gate("pending_review"), gate("approved")], 2: [gate("approved")]})
        code, _, err = self.run_main()
        self.assertEqual(code, 0)
        polls = [r for r in state.requests if r[0] == "GET"]
        self.assertTrue(polls)
        self.assertTrue(all("/versions/1/approval?" in path for _, path, _ in polls))
        # The CLI's first look does not wait; later ones long-poll.
        self.assertIn("wait=0", polls[0][1])
        # The CLI's progress lines are passed on to stderr.
        self.assertIn(f"{MODEL} v1 (production): approved", err)

    def test_gate_step_error_exits_3(self) -> None:
        self.start({1: [gate("pending_review"), {"http_status": 404, "title": "not_found",
                                                 "detail": "no request"}],
                    2: [gate("approved")]})
        code, _, err = self.run_main()
        self.assertEqual(code, 3)
        self.assertIn("HTTP 404", err)
        self.assertIn("approval-gate wait exited 3", err)

    def test_missing_node_exits_3(self) -> None:
        self.start({1: [gate("pending_review")], 2: [gate("approved")]})
        code, _, err = self.run_main("--node", "/nonexistent/node")
        self.assertEqual(code, 3)
        self.assertIn("needs Node.js 20", err)

    def test_connection_refused_exits_3(self) -> None:
        self.url = "http://127.0.0.1:9"  # discard port: nothing listens there
        code, _, err = self.run_main()
        self.assertEqual(code, 3)
        self.assertIn("cannot reach", err)

    def test_record_appends_runs(self) -> None:
        self.start({1: [gate("approved", approved_by=["a"])], 2: [gate("approved")]})
        with tempfile.TemporaryDirectory() as tmp:
            record = Path(tmp) / "rec.json"
            self.assertEqual(self.run_main("--record", str(record))[0], 0)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                pipeline.main(["--offline", "--record", str(record), "--dataset", "wine",
                               "--classifiers", "decision_tree"])
            document = json.loads(record.read_text())
        self.assertEqual(document["format"], 1)
        online, offline = document["runs"]
        self.assertEqual([c["method"] for c in online["calls"]],
                         ["POST", "POST", "POST", "POST", "POST"])
        approval = online["calls"][1]
        self.assertEqual(approval["path"], f"/api/v1/models/{MODEL}/versions/{{version}}/approval")
        self.assertEqual((approval["version"], approval["version_from"]), (1, 0))
        self.assertEqual(online["calls"][-1]["path"].rsplit("/", 1)[1], "deployments")
        self.assertEqual(offline["model"], "wine-cultivar")
        self.assertEqual(len(offline["calls"]), 2)
        self.assertTrue(all(c["path"].startswith("/api/v1/") for c in offline["calls"]))


if __name__ == "__main__":
    unittest.main()
