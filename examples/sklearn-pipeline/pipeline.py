#!/usr/bin/env python3
"""Example ML training pipeline that goes through the model approval gate.

It trains one or more scikit-learn classifiers on a data set shipped with
scikit-learn (no downloads), registers each trained candidate as a model
version with its held-out metrics, asks the gate for approval, waits for the
gate's decision with the project's CLI (``node cli/approval-gate.mjs wait``,
the same gate step any CI job uses) and, if a candidate was approved, records
a deployment of the best approved one.  The exit code tells a CI system what
happened:

    0  a version was approved and its deployment recorded (or --offline run)
    1  no version approved and at least one was rejected (on_reject: fail_pipeline)
    2  no version approved: expired, cancelled, superseded or the wait timed out
    3  the API could not be reached or answered with an unexpected error
   64  bad command line (argparse would use 2, which means "not approved" here)

Only the standard library is used for HTTP so the example runs anywhere a
Python with scikit-learn runs (Debian: ``apt install python3-sklearn``); the
waiting needs Node.js 20 or newer on PATH for the CLI.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, NoReturn

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

DATASETS: dict[str, Callable[..., Any]] = {
    "breast_cancer": load_breast_cancer,
    "wine": load_wine,
}
DEFAULT_MODEL_NAMES = {"breast_cancer": "breast-cancer-screening", "wine": "wine-cultivar"}
# Multi-class sets are scored with macro averages and one-vs-rest ROC AUC.
MULTICLASS_DATASETS = frozenset({"wine"})
# Binary sets: the class that precision/recall/ROC AUC are about.  In
# load_breast_cancer 0 is "malignant", the finding a screening model must not miss,
# so recall means "share of malignant tumours caught".
POSITIVE_CLASS = {"breast_cancer": 0}

TEST_SIZE = 0.25
# Number of points in the gradient boosting learning curve (staged accuracy).
LEARNING_CURVE_POINTS = 10

FINAL_STATUSES = frozenset({"approved", "rejected", "expired", "cancelled", "superseded"})
UNSUCCESSFUL_STATUSES = frozenset({"expired", "cancelled", "superseded"})

# The gate step: the project's CLI, which long-polls the gate and retries
# short outages itself.  Its exit codes are the ones this script uses.
GATE_CLI = Path(__file__).resolve().parents[2] / "cli" / "approval-gate.mjs"
GATE_CLI_VERDICTS = frozenset({0, 1, 2})  # approved, rejected, not approved/timed out

# Failures of the transport itself (refused, reset, timed out, garbled HTTP).
NETWORK_ERRORS = (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException)
REQUEST_TIMEOUT_SECONDS = 30.0
RECORD_FORMAT = 1
USER_AGENT = "approval-gate-sklearn-example/1.0"

EXIT_OK, EXIT_REJECTED, EXIT_NOT_APPROVED, EXIT_API_ERROR = 0, 1, 2, 3
EXIT_USAGE = 64  # sysexits.h EX_USAGE


# --------------------------------------------------------------------------- #
# Classifiers
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class ClassifierSpec:
    """How to build one classifier and which of its hyperparameters matter.

    ``main_params`` keeps the registered ``params`` short and comparable across
    versions instead of dumping every sklearn default.
    """

    factory: Callable[[int], Any]
    main_params: tuple[str, ...]
    scale: bool


CLASSIFIERS: dict[str, ClassifierSpec] = {
    "logreg": ClassifierSpec(
        lambda seed: LogisticRegression(C=1.0, max_iter=2000, random_state=seed),
        ("C", "penalty", "solver", "max_iter"),
        scale=True,  # regularised linear model: features must share a scale
    ),
    "random_forest": ClassifierSpec(
        lambda seed: RandomForestClassifier(
            n_estimators=200, min_samples_leaf=1, n_jobs=2, random_state=seed
        ),
        ("n_estimators", "max_depth", "min_samples_leaf", "max_features"),
        scale=False,  # trees are invariant to monotone feature scaling
    ),
    "gradient_boosting": ClassifierSpec(
        lambda seed: GradientBoostingClassifier(
            n_estimators=100, learning_rate=0.1, max_depth=3, random_state=seed
        ),
        ("n_estimators", "learning_rate", "max_depth", "subsample"),
        scale=False,
    ),
    "decision_tree": ClassifierSpec(
        lambda seed: DecisionTreeClassifier(max_depth=4, random_state=seed),
        ("max_depth", "min_samples_leaf", "criterion"),
        scale=False,
    ),
    "naive_bayes": ClassifierSpec(
        lambda seed: GaussianNB(),
        ("var_smoothing",),
        scale=False,  # per-feature Gaussians: scaling changes nothing
    ),
}


@dataclass
class Candidate:
    """One trained classifier and, once registered, its version and gate status."""

    classifier: str
    estimator: Pipeline
    params: dict[str, str | int | float | bool]
    metrics: list[dict[str, Any]]
    version: int | None = None
    gate: dict[str, Any] = field(default_factory=dict)
    # Index of this candidate's registration call in the recording (version_from).
    record_index: int | None = None

    def metric(self, name: str) -> float:
        """Return the step-less value of a metric (NaN if absent)."""
        for m in self.metrics:
            if m["name"] == name and "step" not in m:
                return float(m["value"])
        return float("nan")


@dataclass
class Split:
    """A stratified train/test split of one bundled data set."""

    dataset: str
    x_train: np.ndarray
    x_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def load_split(dataset: str, seed: int) -> Split:
    """Load a bundled data set and split it so that class ratios are kept."""
    x, y = DATASETS[dataset](return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_SIZE, random_state=seed, stratify=y
    )
    return Split(dataset, x_train, x_test, y_train, y_test)


def build_pipeline(name: str, seed: int) -> Pipeline:
    """Wrap the classifier in a Pipeline so scaling is fitted on train data only."""
    spec = CLASSIFIERS[name]
    steps: list[tuple[str, Any]] = []
    if spec.scale:
        steps.append(("scaler", StandardScaler()))
    steps.append(("clf", spec.factory(seed)))
    return Pipeline(steps)


def json_scalar(value: Any) -> str | int | float | bool:
    """Coerce a hyperparameter to the str/number/bool values the API accepts."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return "none" if value is None else str(value)


def main_params(name: str, pipeline: Pipeline, split: Split, seed: int) -> dict[str, Any]:
    """Flat, JSON-scalar hyperparameters plus the facts needed to reproduce the run."""
    estimator_params = pipeline.named_steps["clf"].get_params(deep=False)
    params: dict[str, Any] = {
        key: json_scalar(estimator_params[key]) for key in CLASSIFIERS[name].main_params
    }
    params["scaler"] = "standard" if CLASSIFIERS[name].scale else "none"
    params.update(
        dataset=split.dataset,
        seed=seed,
        n_train=int(len(split.y_train)),
        n_test=int(len(split.y_test)),
    )
    return params


def evaluate(pipeline: Pipeline, split: Split) -> dict[str, float]:
    """Held-out metrics; multi-class sets use macro averages and one-vs-rest AUC."""
    predicted = pipeline.predict(split.x_test)
    proba = pipeline.predict_proba(split.x_test)
    averaging: dict[str, Any]
    if split.dataset in MULTICLASS_DATASETS:
        averaging = {"average": "macro"}
        auc = roc_auc_score(split.y_test, proba, multi_class="ovr", average="macro")
    else:
        positive = POSITIVE_CLASS.get(split.dataset, 1)
        averaging = {"average": "binary", "pos_label": positive}
        column = list(pipeline.classes_).index(positive)
        auc = roc_auc_score(split.y_test == positive, proba[:, column])
    return {
        "accuracy": accuracy_score(split.y_test, predicted),
        "precision": precision_score(split.y_test, predicted, zero_division=0, **averaging),
        "recall": recall_score(split.y_test, predicted, zero_division=0, **averaging),
        "f1": f1_score(split.y_test, predicted, zero_division=0, **averaging),
        "roc_auc": auc,
    }


def staged_accuracy(pipeline: Pipeline, split: Split) -> list[tuple[int, float]]:
    """Test accuracy after every few boosting stages: a cheap learning curve."""
    booster = pipeline.named_steps["clf"]
    every = max(1, booster.n_estimators // LEARNING_CURVE_POINTS)
    curve = []
    for stage, predicted in enumerate(booster.staged_predict(split.x_test), start=1):
        if stage % every == 0 or stage == booster.n_estimators:
            curve.append((stage, accuracy_score(split.y_test, predicted)))
    return curve


def train_candidate(name: str, split: Split, seed: int) -> Candidate:
    """Fit one classifier and turn its evaluation into API metric records."""
    pipeline = build_pipeline(name, seed)
    started = time.perf_counter()
    pipeline.fit(split.x_train, split.y_train)
    train_seconds = time.perf_counter() - started

    metrics: list[dict[str, Any]] = [
        {"name": metric, "value": round(float(value), 6), "split": "test"}
        for metric, value in evaluate(pipeline, split).items()
    ]
    metrics.append({"name": "train_seconds", "value": round(train_seconds, 4), "split": "train"})
    if name == "gradient_boosting":
        metrics.extend(
            {"name": "staged_accuracy", "value": round(acc, 6), "step": step, "split": "test"}
            for step, acc in staged_accuracy(pipeline, split)
        )
    return Candidate(name, pipeline, main_params(name, pipeline, split, seed), metrics)


# --------------------------------------------------------------------------- #
# Run context (commit, CI link) and request bodies
# --------------------------------------------------------------------------- #


def git_commit() -> str | None:
    """The commit the pipeline runs from, so reviewers can see what was trained."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None


def pipeline_run_url() -> str | None:
    """Link back to the CI run (GitLab-style variable first, then GitHub Actions)."""
    if os.environ.get("CI_PIPELINE_URL"):
        return os.environ["CI_PIPELINE_URL"]
    keys = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    parts = [os.environ.get(key) for key in keys]
    if all(parts):
        server, repo, run_id = parts
        return f"{server}/{repo}/actions/runs/{run_id}"
    return None


def version_body(candidate: Candidate, split: Split, run_id: str) -> dict[str, Any]:
    """Registration payload; optional fields are omitted rather than sent as null."""
    body: dict[str, Any] = {
        "source_uri": f"sklearn://{split.dataset}/{candidate.classifier}",
        "run_id": run_id,
        "description": (
            f"{candidate.classifier} trained on the scikit-learn {split.dataset} data set "
            f"({len(split.y_train)} train / {len(split.y_test)} test rows, "
            f"seed {candidate.params['seed']})"
        ),
        "params": candidate.params,
        "tags": {
            "framework": "scikit-learn",
            "sklearn_version": sklearn.__version__,
            "dataset": split.dataset,
            "classifier": candidate.classifier,
        },
        "metrics": candidate.metrics,
    }
    commit, run_url = git_commit(), pipeline_run_url()
    if commit:
        body["commit"] = commit
    if run_url:
        body["pipeline_run_url"] = run_url
    return body


def model_path(model: str, suffix: str = "") -> str:
    """API path under a model; the name is percent-encoded as one path segment."""
    return f"/api/v1/models/{urllib.parse.quote(model, safe='')}{suffix}"


# --------------------------------------------------------------------------- #
# Recording
# --------------------------------------------------------------------------- #


@dataclass
class Recorder:
    """Collects the API calls of this run so a demo loader can replay them.

    Calls that address a registered version use the path template
    ``.../versions/{version}/...`` plus ``version_from``: the index (in this
    run's ``calls``) of the registration call whose response ``version`` must be
    substituted.  This keeps recordings replayable against a database where the
    version numbers differ; online runs also store the concrete ``version``.
    """

    enabled: bool
    calls: list[dict[str, Any]] = field(default_factory=list)

    def add(self, method: str, path: str, body: Any = None, **extra: Any) -> int:
        """Append one call and return its index (for ``version_from``)."""
        call: dict[str, Any] = {"method": method, "path": path}
        if body is not None:
            call["body"] = body
        call.update({k: v for k, v in extra.items() if v is not None})
        self.calls.append(call)
        return len(self.calls) - 1


def load_record_file(path: Path) -> dict[str, Any]:
    """Read an existing record file, upgrading a single-run document to ``runs``."""
    if not path.exists() or path.stat().st_size == 0:
        return {"format": RECORD_FORMAT, "runs": []}
    document = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(document, dict) and isinstance(document.get("runs"), list):
        return document
    if isinstance(document, dict) and isinstance(document.get("calls"), list):
        return {"format": RECORD_FORMAT, "runs": [document]}
    raise ValueError(f"{path} is not a recording (no 'runs' or 'calls' list); not overwriting")


def write_record(path: Path, run: dict[str, Any]) -> None:
    """Append this run to the record file atomically so a crash never truncates it."""
    document = load_record_file(path)
    document["runs"].append(run)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")
    os.replace(handle.name, path)


# --------------------------------------------------------------------------- #
# HTTP client
# --------------------------------------------------------------------------- #


class ApiError(Exception):
    """An HTTP error answer, carrying the fields of its problem+json body."""

    def __init__(self, status: int, problem: dict[str, Any], method: str, path: str) -> None:
        self.status = status
        self.problem = problem
        self.method = method
        self.path = path
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line with status, title/detail and any per-field validation errors."""
        title = self.problem.get("title") or "HTTP error"
        detail = self.problem.get("detail")
        code = self.problem.get("code")
        text = f"{self.method} {self.path} failed: HTTP {self.status} {title}"
        if code:
            text += f" [{code}]"
        if detail:
            text += f": {detail}"
        for error in self.problem.get("errors") or []:
            if isinstance(error, dict):
                text += (
                    f"\n  - {error.get('field', '?')}: {error.get('message', '')}"
                    f" ({error.get('rule', '')})"
                )
        return text


class GateClient:
    """Minimal JSON client for the approval gate API (urllib, bearer token)."""

    def __init__(self, base_url: str, token: str, recorder: Recorder) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.recorder = recorder

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        timeout: float = REQUEST_TIMEOUT_SECONDS,
        **record_extra: Any,
    ) -> dict[str, Any]:
        """Send one request; non-2xx answers raise ApiError, network errors URLError.

        ``path`` may contain ``{version}``; it is filled from ``record_extra``
        and kept as a template in the recording.
        """
        concrete = path.replace("{version}", str(record_extra.get("version", "")))
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base_url + concrete, data=data, method=method)
        req.add_header("Accept", "application/json, application/problem+json")
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("User-Agent", USER_AGENT)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
            self.recorder.add(method, path, body, status=status, **record_extra)
            raise ApiError(status, parse_problem(payload, error.reason), method, concrete)
        self.recorder.add(method, path, body, status=status, **record_extra)
        return parse_answer(payload, method, concrete)


class UnexpectedAnswer(Exception):
    """A 2xx answer that is not the JSON object we expect (e.g. a proxy's HTML page)."""


class GateStepError(Exception):
    """The CLI gave no verdict: it could not start, or it exited 3 (its stderr says why)."""


def parse_answer(payload: bytes, method: str, path: str) -> dict[str, Any]:
    """Decode a success body; anything but a JSON object is a protocol error."""
    try:
        answer = json.loads(payload) if payload else {}
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        snippet = payload[:120].decode("utf-8", "replace")
        raise UnexpectedAnswer(f"{method} {path} answered with non-JSON-object body: {snippet!r}")
    return answer


def parse_problem(payload: bytes, reason: Any) -> dict[str, Any]:
    """Decode a problem+json body, falling back to the HTTP reason phrase."""
    try:
        problem = json.loads(payload) if payload else {}
    except ValueError:
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    if not problem.get("title"):
        problem["title"] = str(reason or "HTTP error")
    if not problem.get("detail") and payload and not payload.lstrip().startswith(b"{"):
        problem["detail"] = payload[:300].decode("utf-8", "replace").strip()
    return problem


# --------------------------------------------------------------------------- #
# Gate status reporting
# --------------------------------------------------------------------------- #


def approvals_left(rules: Any) -> int:
    """Approvals still missing across the policy's rules (the gate lists each rule)."""
    if not isinstance(rules, list):
        return 0
    left = 0
    for rule in rules:
        if isinstance(rule, dict):
            left += max(0, int(rule.get("count", 0)) - int(rule.get("approvals", 0)))
    return left


def describe_status(gate: dict[str, Any]) -> str:
    """Human-readable summary of a gate status for the CI log."""
    status = gate.get("status", "unknown")
    approved_by = gate.get("approved_by") or []
    parts: list[str] = []
    if status == "awaiting_metrics":
        missing = ", ".join(gate.get("missing_metrics") or []) or "unknown"
        parts.append(f"missing metrics: {missing}")
    elif status == "pending_review":
        left = approvals_left(gate.get("required_approvals"))
        if left:
            parts.append(f"waiting for {left} approval{'s' if left != 1 else ''}")
        else:
            parts.append("waiting for review")
        if approved_by:
            parts.append(f"approved so far by {', '.join(approved_by)}")
    elif status == "approved":
        parts.append(f"approved by {', '.join(approved_by)}" if approved_by else "auto-approved")
    if gate.get("reason") and status != "approved":
        parts.append(f"reason: {gate['reason']}")
    if status not in FINAL_STATUSES and gate.get("review_url"):
        parts.append(f"review at {gate['review_url']}")
    return f"{status} — {'; '.join(parts)}" if parts else status


def status_key(gate: dict[str, Any]) -> tuple[Any, ...]:
    """What counts as a change worth printing while waiting."""
    return (
        gate.get("status"),
        tuple(gate.get("approved_by") or []),
        tuple(gate.get("missing_metrics") or []),
        len(gate.get("decisions") or []),
    )


def label(model: str, candidate: Candidate) -> str:
    """Short identifier used in every log line about a candidate."""
    return f"{model} v{candidate.version} ({candidate.classifier})"


def print_metrics(candidate: Candidate) -> None:
    """Show the held-out metrics right after training."""
    shown = ("accuracy", "precision", "recall", "f1", "roc_auc", "train_seconds")
    values = "  ".join(f"{name}={candidate.metric(name):.4f}" for name in shown)
    print(f"trained {candidate.classifier:<17} {values}")


# --------------------------------------------------------------------------- #
# Pipeline steps
# --------------------------------------------------------------------------- #


def register_and_request(
    client: GateClient, model: str, split: Split, run_id: str, args: argparse.Namespace,
    candidates: list[Candidate],
) -> None:
    """Register every candidate, then ask the gate to approve it."""
    for candidate in candidates:
        path = model_path(model, "/versions")
        candidate.record_index = len(client.recorder.calls)
        created = client.request("POST", path, version_body(candidate, split, run_id))
        if not isinstance(created.get("version"), int):
            raise UnexpectedAnswer(f"registration answer has no integer 'version': {created}")
        candidate.version = created["version"]
        client.recorder.calls[candidate.record_index]["version"] = candidate.version
        print(f"registered {label(model, candidate)} (model_id {created.get('model_id')})")

        candidate.gate = client.request(
            "POST",
            model_path(model, "/versions/{version}/approval"),
            {"environment": args.environment, "note": args.note},
            version=candidate.version,
            version_from=candidate.record_index,
        )
        print(f"{label(model, candidate)}: {describe_status(candidate.gate)}")


def run_gate_cli(
    args: argparse.Namespace, model: str, candidate: Candidate, timeout: float
) -> tuple[int, dict[str, Any]]:
    """Run ``approval-gate wait --json`` for one version; return its exit code and answer.

    The token goes through the environment, never the command line (which
    ``ps`` shows).  The CLI's progress lines arrive on its stderr and are passed
    on as they come, so a CI log shows the wait live; its stdout holds only the
    final gate status, kept in a file so a large answer can never block it.
    """
    command = [
        args.node, str(args.gate_cli), "wait",
        "--model", model,
        "--version", str(candidate.version),
        "--environment", args.environment,
        "--timeout", f"{max(0.0, timeout):.1f}",
        "--poll", f"{max(1.0, args.poll):.1f}",
        "--json",
    ]
    env = {**os.environ, "APPROVAL_GATE_URL": args.url, "APPROVAL_GATE_TOKEN": args.token}
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as answer:
        try:
            process = subprocess.Popen(
                command, stdout=answer, stderr=subprocess.PIPE, text=True, env=env
            )
        except OSError as error:
            raise GateStepError(
                f"cannot run the gate step ({args.node} {args.gate_cli}): {error}; "
                "it needs Node.js 20 or newer (--node) and cli/approval-gate.mjs (--gate-cli)"
            ) from error
        assert process.stderr is not None
        for line in process.stderr:
            print(f"  {line.rstrip()}", file=sys.stderr, flush=True)
        code = process.wait()
        answer.seek(0)
        text = answer.read()
    if code not in GATE_CLI_VERDICTS:
        raise GateStepError(f"the gate step failed (approval-gate wait exited {code})")
    try:
        gate = json.loads(text)
    except ValueError as error:
        raise GateStepError(f"the gate step printed no JSON answer: {text[:120]!r}") from error
    if not isinstance(gate, dict):
        raise GateStepError(f"the gate step printed {text[:120]!r}, not a gate status")
    return code, gate


def wait_for_gate(args: argparse.Namespace, model: str, candidates: list[Candidate]) -> bool:
    """Wait on each open candidate in turn with the CLI; False if time ran out.

    Every candidate must reach a final status anyway, so waiting on them one
    after another under one shared deadline ends when waiting on all at once would.
    """
    deadline = time.monotonic() + args.wait_timeout
    for candidate in candidates:
        if candidate.gate.get("status") in FINAL_STATUSES:
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        before = status_key(candidate.gate)
        _, candidate.gate = run_gate_cli(args, model, candidate, remaining)
        if status_key(candidate.gate) != before:
            print(f"{label(model, candidate)}: {describe_status(candidate.gate)}", flush=True)
        if candidate.gate.get("status") not in FINAL_STATUSES:
            return False
    return True


def deploy_best(
    client: GateClient, model: str, environment: str, approved: list[Candidate]
) -> None:
    """Record a deployment of the approved candidate with the highest ROC AUC."""
    best = max(approved, key=lambda c: (c.metric("roc_auc"), c.metric("accuracy")))
    deployment = client.request(
        "POST",
        model_path(model, "/versions/{version}/deployments"),
        {"environment": environment},
        version=best.version,
        version_from=best.record_index,
    )
    ident = deployment.get("id") or deployment.get("deployment_id")
    suffix = f" (deployment {ident})" if ident else ""
    print(
        f"deployed {label(model, best)} to {environment}{suffix}: "
        f"roc_auc={best.metric('roc_auc'):.4f} accuracy={best.metric('accuracy'):.4f}"
    )


def report_failure(model: str, candidates: list[Candidate], finished: bool) -> int:
    """Explain on stderr why nothing was approved and pick the exit code."""
    rejected = [c for c in candidates if c.gate.get("status") == "rejected"]
    for candidate in rejected:
        gate = candidate.gate
        print(
            f"{label(model, candidate)} was REJECTED: {gate.get('reason') or 'no reason given'}"
            f" (on_reject: {gate.get('on_reject', 'fail_pipeline')})",
            file=sys.stderr,
        )
        for decision in gate.get("decisions") or []:
            comment = decision.get("comment") or "(no comment)"
            print(
                f"  - {decision.get('by')} {decision.get('decision')} at {decision.get('at')}:"
                f" {comment}",
                file=sys.stderr,
            )
    for candidate in candidates:
        status = candidate.gate.get("status")
        if status in UNSUCCESSFUL_STATUSES or status not in FINAL_STATUSES:
            print(f"{label(model, candidate)}: {describe_status(candidate.gate)}", file=sys.stderr)
    if rejected:
        return EXIT_REJECTED
    if not finished:
        print("gave up waiting for the approval gate (--wait-timeout)", file=sys.stderr)
    print("no version was approved; nothing deployed", file=sys.stderr)
    return EXIT_NOT_APPROVED


def run_online(
    args: argparse.Namespace, recorder: Recorder, split: Split, run_id: str,
    candidates: list[Candidate],
) -> int:
    """Register, request approval, wait for the gate and deploy the best approved."""
    client = GateClient(args.url, args.token, recorder)
    register_and_request(client, args.model, split, run_id, args, candidates)
    finished = wait_for_gate(args, args.model, candidates)
    approved = [c for c in candidates if c.gate.get("status") == "approved"]
    if approved:
        deploy_best(client, args.model, args.environment, approved)
        return EXIT_OK
    return report_failure(args.model, candidates, finished)


def run_offline(
    args: argparse.Namespace, recorder: Recorder, split: Split, run_id: str,
    candidates: list[Candidate],
) -> int:
    """Record the registration and approval requests without sending anything."""
    for candidate in candidates:
        candidate.record_index = recorder.add(
            "POST", model_path(args.model, "/versions"), version_body(candidate, split, run_id)
        )
        recorder.add(
            "POST",
            model_path(args.model, "/versions/{version}/approval"),
            {"environment": args.environment, "note": args.note},
            version_from=candidate.record_index,
        )
    if recorder.enabled:
        print(f"offline: {len(recorder.calls)} calls prepared for {args.record}, nothing sent")
    else:
        print("offline: nothing sent (add --record FILE to keep the calls)")
    return EXIT_OK


# --------------------------------------------------------------------------- #
# CLI
# --------------------------------------------------------------------------- #


def parse_classifiers(text: str) -> list[str]:
    """Validate the comma list early so typos fail before any training."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in CLASSIFIERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown classifier(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(CLASSIFIERS)}"
        )
    return list(dict.fromkeys(names))


def positive_number(text: str) -> float:
    """argparse type for durations in seconds."""
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


class UsageParser(argparse.ArgumentParser):
    """ArgumentParser whose errors exit 64, so CI never mistakes a typo for "not approved"."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """CLI definition; defaults come from the environment as CI systems expect."""
    parser = UsageParser(
        description=__doc__.split("\n\n")[0],
        epilog="exit codes: 0 deployed/offline, 1 rejected, 2 not approved (expired, "
        "cancelled, superseded, timed out), 3 API error, 64 usage error",
    )
    parser.add_argument("--url", default=os.environ.get("APPROVAL_GATE_URL",
                                                        "http://localhost:3000"),
                        help="gate base URL (env APPROVAL_GATE_URL, default localhost:3000)")
    parser.add_argument("--token", default=os.environ.get("APPROVAL_GATE_TOKEN"),
                        help="API token (env APPROVAL_GATE_TOKEN); not needed with --offline")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="breast_cancer")
    parser.add_argument("--model", help="registered model name (default depends on dataset)")
    parser.add_argument("--environment", default="production",
                        help="target environment (default production)")
    parser.add_argument("--classifiers", type=parse_classifiers,
                        default=parse_classifiers("logreg,random_forest"),
                        help=f"comma list from {', '.join(CLASSIFIERS)} "
                        "(default logreg,random_forest)")
    parser.add_argument("--seed", type=int, default=42,
                        help="split and estimator random state (default 42)")
    parser.add_argument("--wait-timeout", type=positive_number, default=3600.0,
                        help="give up waiting for the gate after this many seconds "
                        "(default 3600)")
    parser.add_argument("--poll", type=positive_number, default=30.0,
                        help="long-poll chunk in seconds (default 30)")
    parser.add_argument("--gate-cli", type=Path, default=GATE_CLI,
                        help="the gate step, approval-gate.mjs (default: this repository's "
                        "cli/approval-gate.mjs)")
    parser.add_argument("--node", default="node",
                        help="Node.js 20+ executable that runs --gate-cli (default node)")
    parser.add_argument("--record", type=Path, help="append a JSON record of the API calls")
    parser.add_argument("--offline", action="store_true",
                        help="train and record the calls only; send nothing")
    parser.add_argument("--note", help="note attached to the approval request")
    args = parser.parse_args(argv)
    args.model = args.model or DEFAULT_MODEL_NAMES[args.dataset]
    if not args.offline and not args.token:
        parser.error("--token (or APPROVAL_GATE_TOKEN) is required unless --offline")
    if args.record is not None:
        try:
            load_record_file(args.record)  # fail before training, not after it
        except (OSError, ValueError) as error:  # JSONDecodeError is a ValueError
            parser.error(f"--record: {error}")
    return args


def train_all(args: argparse.Namespace) -> tuple[Split, list[Candidate]]:
    """Train every requested classifier on the same split."""
    split = load_split(args.dataset, args.seed)
    print(
        f"dataset {args.dataset}: {len(split.y_train)} train / {len(split.y_test)} test rows, "
        f"scikit-learn {sklearn.__version__}"
    )
    candidates = []
    for name in args.classifiers:
        candidate = train_candidate(name, split, args.seed)
        print_metrics(candidate)
        candidates.append(candidate)
    return split, candidates


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (see module docstring)."""
    args = parse_args(argv)
    run_id = uuid.uuid4().hex
    args.note = args.note or f"Automated request from sklearn pipeline run {run_id}"
    recorder = Recorder(enabled=args.record is not None)
    split, candidates = train_all(args)
    runner = run_offline if args.offline else run_online
    try:
        return runner(args, recorder, split, run_id, candidates)
    except ApiError as error:
        print(error.describe(), file=sys.stderr)
        return EXIT_API_ERROR
    except NETWORK_ERRORS as error:
        reason = getattr(error, "reason", error)
        print(f"cannot reach the approval gate at {args.url}: {reason}", file=sys.stderr)
        return EXIT_API_ERROR
    except UnexpectedAnswer as error:
        print(f"unexpected answer from the approval gate: {error}", file=sys.stderr)
        return EXIT_API_ERROR
    except GateStepError as error:
        print(error, file=sys.stderr)
        return EXIT_API_ERROR
    finally:
        if recorder.enabled:
            write_record(args.record, {
                "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "run_id": run_id,
                "offline": args.offline,
                "dataset": args.dataset,
                "model": args.model,
                "environment": args.environment,
                "sklearn_version": sklearn.__version__,
                "calls": recorder.calls,
            })
            print(f"recorded {len(recorder.calls)} calls to {args.record}")


if __name__ == "__main__":
    sys.exit(main())
