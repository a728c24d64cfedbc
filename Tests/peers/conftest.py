"""Fixtures for testing Gatehouse against real MCP peers: the official Python SDK's client and
the reference servers mcp-server-time and mcp-server-git."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

ROOT = pathlib.Path(__file__).resolve().parents[2]
GATEHOUSE = os.environ.get("GATEHOUSE_BIN") or str(ROOT / ".build" / "debug" / "gatehouse")
PYBIN = pathlib.Path(sys.executable).parent


def time_server():
    return [str(PYBIN / "mcp-server-time"), "--local-timezone", "UTC"]


def git_server(repo):
    return [str(PYBIN / "mcp-server-git"), "--repository", str(repo)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="session", autouse=True)
def gatehouse_binary():
    if not os.access(GATEHOUSE, os.X_OK):
        pytest.fail(f"{GATEHOUSE} is not built; run `swift build` first (or set GATEHOUSE_BIN)")
    return GATEHOUSE


class Env:
    """One test's world: a short temporary directory for policies, state and sockets."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.state = self.root / "state"
        self.run_dir = self.root / "run"
        self.logs = []

    def policy(self, content, name="policy.json"):
        path = self.root / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return path

    def socket(self, name="gw"):
        return self.run_dir / f"{name}.sock"

    def serve_args(self, policy, upstream, name="gw", grant=None, state=None, extra=()):
        args = ["serve", "--policy", str(policy), "--name", name, "--state-dir", str(state or self.state),
                "--control", str(self.socket(name)), "--progress-interval", "0.5", *extra]
        if grant:
            args += ["--grant", grant]
        return args + ["--", *upstream]

    def params(self, policy, upstream, **kw):
        return StdioServerParameters(command=GATEHOUSE, args=self.serve_args(policy, upstream, **kw))

    def client(self, policy, upstream, **kw):
        return Client(self.params(policy, upstream, **kw))

    def ctl(self, *args, name="gw", expect=0):
        """Runs `gatehouse ctl --json`; returns (exit code, parsed JSON or None, stderr)."""
        cmd = [GATEHOUSE, "ctl", *args, "--control", str(self.socket(name)), "--json"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        if expect is not None:
            assert p.returncode == expect, f"{' '.join(cmd)} exited {p.returncode}: {p.stderr}{p.stdout}"
        out = p.stdout.strip()
        return p.returncode, (json.loads(out) if out else None), p.stderr

    async def actl(self, *args, name="gw", expect=0):
        return await anyio.to_thread.run_sync(lambda: self.ctl(*args, name=name, expect=expect))

    def audit(self, *args):
        p = subprocess.run([GATEHOUSE, "audit", "--state-dir", str(self.state), "--json", "--limit", "1000", *args],
                           capture_output=True, text=True, timeout=30)
        assert p.returncode == 0, p.stderr
        return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]

    async def wait_pending(self, count=1, name="gw", timeout=20):
        with anyio.fail_after(timeout):
            while True:
                _, pending, _ = await self.actl("pending", name=name)
                if len(pending) >= count:
                    return pending
                await anyio.sleep(0.1)


@pytest.fixture
def env():
    root = tempfile.mkdtemp(prefix="gh", dir="/tmp")
    try:
        yield Env(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def repo(env):
    """A git repository with two commits at fixed dates, so its log is the same every run."""
    path = env.root / "repo"
    path.mkdir()
    genv = dict(os.environ, GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.invalid", GIT_COMMITTER_NAME="A",
                GIT_COMMITTER_EMAIL="a@example.invalid", GIT_AUTHOR_DATE="2026-01-01T00:00:00Z",
                GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
    def git(*a):
        subprocess.run(["git", "-C", str(path), *a], check=True, capture_output=True, env=genv)
    git("init", "-q", "-b", "main")
    (path / "README").write_text("hello\n")
    git("add", "README")
    git("commit", "-q", "-m", "first")
    (path / "README").write_text("hello again\n")
    git("commit", "-q", "-am", "second")
    (path / "new.txt").write_text("untracked\n")
    return path


def text_of(result):
    return " ".join(getattr(c, "text", "") for c in result.content)


class Raw:
    """A bare JSON-RPC peer on the gateway's stdio, for what an SDK hides (ids, cancellation, errors)."""

    def __init__(self, args):
        import threading
        self.proc = subprocess.Popen([GATEHOUSE, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.stderr_lines = []
        self.closed = None
        # Drained on a thread so a chatty gateway can never block on a full stderr pipe.
        self._drain = threading.Thread(target=lambda: self.stderr_lines.extend(self.proc.stderr), daemon=True)
        self._drain.start()

    def send(self, message):
        self.proc.stdin.write((message if isinstance(message, str) else json.dumps(message)) + "\n")
        self.proc.stdin.flush()

    def recv(self, timeout=20):
        import select
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, f"no message from the gateway within {timeout}s"
        line = self.proc.stdout.readline()
        assert line, "the gateway closed its stdout"
        return json.loads(line)

    def recv_id(self, id, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            m = self.recv(max(0.1, deadline - time.monotonic()))
            if m.get("id") == id and "method" not in m:
                return m

    def initialize(self):
        self.send({"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})
        reply = self.recv_id("init")
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return reply

    # Seconds the gateway gets to exit on its own once its stdin closes.
    close_timeout = 15

    def close(self):
        if self.closed is not None:
            return self.closed
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=self.close_timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._drain.join(timeout=5)
        self._stop_reading()
        self.closed = "".join(self.stderr_lines)
        return self.closed

    def _stop_reading(self):
        self.proc.stdout.close()


def gateways(env, kind):
    """Yields a function that starts gateways as `kind` peers, and closes them all afterwards."""
    started = []

    def start(policy, upstream, **kw):
        r = kind(env.serve_args(policy, upstream, **kw))
        started.append(r)
        return r

    yield start
    for r in started:
        r.close()


@pytest.fixture
def raw(env):
    yield from gateways(env, Raw)
