"""Hostile input and faults against a real `gatehouse serve` process.

The client side is a bare JSON-RPC peer (conftest.Raw); the upstream is a small scripted MCP
server (FAKE below) that can answer, hang, die, write garbage or write huge lines on demand,
and logs every tools/call it receives so the tests can prove nothing undecided reached it.

GATEHOUSE_HEAVY=1 makes the big-line test send 1 GiB instead of 100 MB.
"""

import json
import os
import pathlib
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import GATEHOUSE, Raw, gateways

HEAVY = os.environ.get("GATEHOUSE_HEAVY") == "1"

FAKE = r'''
import json, os, signal, sys, time
log = open(sys.argv[1], "a", buffering=1)
out = sys.stdout.buffer
def send(obj):
    out.write(json.dumps(obj).encode() + b"\n"); out.flush()
for raw in sys.stdin.buffer:
    try:
        m = json.loads(raw)
    except ValueError:
        continue
    if not isinstance(m, dict) or "id" not in m or "method" not in m:
        continue
    mid, method = m["id"], m["method"]
    if method == "initialize":
        send({"jsonrpc": "2.0", "id": mid, "result": {"protocolVersion": "2025-06-18",
              "capabilities": {"tools": {}}, "serverInfo": {"name": "fake", "version": "1"}}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": mid, "result": {"tools": [
            {"name": n, "inputSchema": {"type": "object"}} for n in ["echo", "hang", "die", "garbage", "big", "hold_me"]]}})
    elif method == "tools/call":
        name = m["params"]["name"]; args = m["params"].get("arguments", {})
        log.write(json.dumps({"name": name, "id": mid}) + "\n")
        if name == "hang":
            # Never answers, and ignores SIGTERM: only SIGKILL ends it.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            continue
        if name == "die":
            os._exit(3)
        if name == "garbage":
            out.write(b"\xff\xfe\x00 not json at all\n[1,2,3]\n{\"jsonrpc\":\"2.0\",\"id\":\n"); out.flush()
        if name == "big":
            out.write(b'{"jsonrpc":"2.0","id":' + json.dumps(mid).encode() + b',"result":{"pad":"'
                      + b"x" * int(args.get("bytes", 2_000_000)) + b'"}}\n'); out.flush()
            continue
        send({"jsonrpc": "2.0", "id": mid, "result": {"content": [{"type": "text", "text": json.dumps(args)}]}})
    else:
        send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "Method not found"}})
# Stdin closed: leave, unless a "hang" call made us stubborn.
if signal.getsignal(signal.SIGTERM) == signal.SIG_IGN:
    while True:
        time.sleep(1)
'''

POLICY = {
    "version": "1",
    "default": "deny",
    "tools": {
        "echo": {}, "hang": {}, "die": {}, "garbage": {}, "big": {},
        "hold_me": {"action": "require_approval", "approval": {"timeout": "10m"}},
        "forbidden": {"action": "deny"},
    },
}
FORWARDABLE = {"echo", "hang", "die", "garbage", "big"}


class QRaw(Raw):
    """Raw, with stdout drained by a thread into a queue: answers that arrive together are
    never stranded in a read buffer that select() cannot see."""

    def __init__(self, args):
        import queue
        super().__init__(args)
        self.lines = queue.Queue()
        def pump():
            for line in self.proc.stdout:
                self.lines.put(line)
            self.lines.put(None)
        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()

    def recv(self, timeout=20):
        import queue
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message from the gateway within {timeout}s")
        assert line is not None, "the gateway closed its stdout"
        return json.loads(line)

    close_timeout = 30

    def _stop_reading(self):
        # The pump owns stdout and ends at its end of file.
        self._pump.join(timeout=5)


@pytest.fixture
def qraw(env):
    yield from gateways(env, QRaw)


class World:
    def __init__(self, env, raw, extra=()):
        self.env = env
        script = env.root / "fake_upstream.py"
        script.write_text(FAKE)
        self.calls_log = env.root / "upstream_calls.jsonl"
        self.calls_log.touch()
        self.gw = raw(env.policy(POLICY), [sys.executable, str(script), str(self.calls_log)], extra=extra)
        self.gw.initialize()
        self.next_id = 0

    def call(self, name, args=None, id=None):
        if id is None:
            self.next_id += 1
            id = f"c{self.next_id}"
        self.gw.send({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name, "arguments": args or {}}})
        return id

    def still_serves(self):
        """A valid request after the hostile one gets its correct answer."""
        token = random.random()
        answer = self.gw.recv_id(self.call("echo", {"token": token}), timeout=30)
        assert json.loads(answer["result"]["content"][0]["text"]) == {"token": token}

    def upstream_calls(self):
        return [json.loads(l) for l in self.calls_log.read_text().splitlines() if l.strip()]

    def nothing_undecided_forwarded(self):
        names = {c["name"] for c in self.upstream_calls()}
        assert names <= FORWARDABLE, f"undecided calls reached the upstream: {names - FORWARDABLE}"


def peak_rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def write_huge_line(gw, total, chunk=1 << 20):
    """Writes `total` bytes of one unterminated JSON string, then the newline, from a thread."""
    def run():
        stdin = gw.proc.stdin.buffer if hasattr(gw.proc.stdin, "buffer") else gw.proc.stdin
        gw.proc.stdin.flush()
        stdin.write(b'{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"echo","arguments":{"x":"')
        block = b"a" * chunk
        sent = 0
        while sent < total:
            stdin.write(block)
            sent += chunk
        stdin.write(b'"}}}\n')
        stdin.flush()
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_a_line_far_over_the_limit_is_dropped_with_an_error_in_bounded_memory(env, qraw):
    w = World(env, qraw)
    total = (1 << 30) if HEAVY else 100 << 20
    started = time.monotonic()
    writer = write_huge_line(w.gw, total)
    answer = w.gw.recv(timeout=300)
    writer.join(timeout=300)
    elapsed = time.monotonic() - started
    assert answer["id"] is None and answer["error"]["code"] == -32600
    assert "exceeds the gateway's limit of 16777216 bytes" in answer["error"]["message"]
    w.still_serves()
    peak = peak_rss_mb(w.gw.proc.pid)
    print(f"\n{total >> 20} MiB line: dropped in {elapsed:.1f}s, gateway peak RSS {peak:.0f} MiB")
    # The line never sat in memory whole: the peak stays near the 16 MiB limit plus the baseline.
    assert peak < 160, f"peak RSS {peak} MiB"
    w.nothing_undecided_forwarded()
    assert "huge" not in {c["id"] for c in w.upstream_calls()}


def test_the_message_limit_can_be_set_and_applies_to_both_sides(env, qraw):
    w = World(env, qraw, extra=("--max-message-bytes", "65536"))
    w.gw.send({"jsonrpc": "2.0", "id": "big-in", "method": "tools/call",
               "params": {"name": "echo", "arguments": {"x": "y" * 70000}}})
    answer = w.gw.recv(timeout=30)
    assert answer["id"] is None and "limit of 65536 bytes" in answer["error"]["message"]
    # An answer over the limit from the upstream is dropped (logged); the client can cancel the call.
    big = w.call("big", {"bytes": 100_000})
    w.still_serves()
    w.gw.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": big, "reason": "too big"}})
    w.still_serves()
    assert "over the 65536-byte limit" in w.gw.close()
    rows = {r["tool"]: r["outcome"] for r in env.audit()}
    assert rows["big"] == "cancelled"


def test_random_garbage_lines_each_get_an_error_and_the_gateway_keeps_serving(env, qraw):
    w = World(env, qraw)
    rng = random.Random(1234)
    stdin = w.gw.proc.stdin.buffer
    sent = 0
    for _ in range(300):
        line = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))).replace(b"\n", b"").replace(b"\r", b"")
        if not line.strip(b" \t"):
            continue
        stdin.write(line + b"\n")
        sent += 1
    stdin.flush()
    errors = 0
    while errors < sent:
        m = w.gw.recv(timeout=30)
        assert m["id"] is None and m["error"]["code"] in (-32700, -32600), m
        errors += 1
    w.still_serves()
    w.nothing_undecided_forwarded()


def test_protocol_oddities_over_a_real_pipe(env, qraw):
    w = World(env, qraw)
    g = w.gw
    lines = [
        '[{"jsonrpc":"2.0","id":1,"method":"ping"}]',                                   # batch
        '{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"echo"}}',    # null id
        '{"jsonrpc":"2.0","id":true,"method":"tools/call","params":{"name":"echo"}}',    # bool id
        '{"jsonrpc":"2.0","id":{"a":1},"method":"tools/call","params":{"name":"echo"}}', # object id
        '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"arguments":{}}}',      # no name
        '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","arguments":[1]}}',
        '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"forbidden"}}',
        '{"jsonrpc":"2.0","method":"tools/call","params":{"name":"forbidden"}}',          # id-less call: dropped
        '{"jsonrpc":"2.0","id":8,"method":"no/such/method"}',
        '[' * 100000,
    ]
    expected = [-32600, -32600, -32600, -32600, -32602, -32602, None, "none", -32601, -32700]
    for line, want in zip(lines, expected):
        g.send(line)
        if want == "none":
            continue  # an id-less call is dropped: no answer, nothing forwarded
        m = g.recv(timeout=30)
        if want is None:
            assert m["id"] == 7 and m["result"]["isError"] is True
        else:
            assert m["error"]["code"] == want, (line[:80], m)
    # Huge and fractional ids come back exactly as sent (Python reads big integers exactly).
    for id in (123456789012345678901234567890, 1.5, -0.25, ""):
        w.call("forbidden", id=id)
        assert g.recv_id(id)["result"]["_meta"]["gatehouse/decision"] == "deny"
    w.still_serves()
    w.nothing_undecided_forwarded()


def test_a_hanging_upstream_cancel_works_and_shutdown_still_terminates(env, qraw):
    w = World(env, qraw)
    first = w.call("hang")
    w.still_serves()  # the upstream is still reading; only "hang" is never answered
    w.gw.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": first, "reason": "bored"}})
    second = w.call("hang")
    time.sleep(0.2)
    started = time.monotonic()
    log = w.gw.close()  # stdin closed: the gateway must end although the upstream ignores SIGTERM
    took = time.monotonic() - started
    assert w.gw.proc.returncode == 0, log
    assert took < 30, f"shutdown took {took:.1f}s"
    print(f"\nshutdown with a stubborn upstream took {took:.1f}s")
    by_outcome = sorted(r["outcome"] for r in env.audit("--tool", "hang"))
    assert by_outcome == ["cancelled", "error"], by_outcome
    assert not env.socket().exists()


def test_an_upstream_that_dies_mid_call_fails_everything_open_and_forwards_nothing_more(env, qraw):
    w = World(env, qraw)
    hanging = w.call("hang")
    held = w.call("hold_me")
    env_pending = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        _, env_pending, _ = env.ctl("pending")
        if env_pending:
            break
        time.sleep(0.05)
    assert len(env_pending) == 1
    dying = w.call("die")
    answers = {}
    while len(answers) < 3:
        m = w.gw.recv(timeout=30)
        if m.get("id") in (hanging, held, dying) and "method" not in m:
            answers[m["id"]] = m
    for i, a in answers.items():
        assert a["error"]["code"] == -32603, (i, a)
    _, pending, _ = env.ctl("pending")
    assert pending == []
    after = w.gw.recv_id(w.call("echo"), timeout=30)
    assert after["error"]["code"] == -32603 and "Upstream unavailable" in after["error"]["message"]
    w.nothing_undecided_forwarded()
    assert "hold_me" not in {c["name"] for c in w.upstream_calls()}
    w.gw.close()
    outcomes = {r["tool"]: r["outcome"] for r in env.audit()}
    assert outcomes["hold_me"] == "error" and outcomes["hang"] == "error" and outcomes["die"] == "error"


def test_upstream_garbage_is_dropped_and_the_answer_still_arrives(env, qraw):
    w = World(env, qraw)
    answer = w.gw.recv_id(w.call("garbage", {"k": 1}), timeout=30)
    assert json.loads(answer["result"]["content"][0]["text"]) == {"k": 1}
    w.still_serves()
    log = w.gw.close()
    assert "not JSON-RPC" in log


def test_a_client_that_disconnects_mid_call_leaves_nothing_open(env, qraw):
    w = World(env, qraw)
    w.call("hang")
    w.call("hold_me")
    deadline = time.monotonic() + 20
    while not env.ctl("pending")[1]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    # The client vanishes without a word (its end of the pipe closes).
    w.gw.proc.stdin.close()
    w.gw.proc.wait(timeout=30)
    w.gw.close()
    assert w.gw.proc.returncode == 0
    outcomes = {r["tool"]: r["outcome"] for r in env.audit()}
    assert outcomes == {"hang": "error", "hold_me": "cancelled"}, outcomes
    assert "hold_me" not in {c["name"] for c in w.upstream_calls()}
    assert not env.socket().exists()


def test_a_client_killed_mid_write_leaves_the_gateway_to_exit_cleanly(env):
    # A client process that writes half a request and is SIGKILLed: the gateway reads the
    # half line as the last line (a parse error it cannot deliver), then ends.
    script = env.root / "fake_upstream.py"
    script.write_text(FAKE)
    log = env.root / "calls.jsonl"
    log.touch()
    args = env.serve_args(env.policy(POLICY), [sys.executable, str(script), str(log)])
    client = subprocess.Popen([sys.executable, "-c", r'''
import subprocess, sys, os, time
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(p.pid, flush=True)
p.stdin.write(b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"hold_me","argu'); p.stdin.flush()
time.sleep(60)
''', GATEHOUSE, *args], stdout=subprocess.PIPE, text=True)
    gw_pid = int(client.stdout.readline())
    time.sleep(0.5)
    client.send_signal(signal.SIGKILL)
    client.wait()
    def gone():
        # Re-parented to init, which may leave it a zombie for a while: a zombie has exited.
        try:
            return pathlib.Path(f"/proc/{gw_pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except (FileNotFoundError, ProcessLookupError):
            return True
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if gone():
            break
        time.sleep(0.1)
    else:
        os.kill(gw_pid, signal.SIGKILL)
        pytest.fail("the gateway did not exit after its client was killed")
    assert log.read_text() == ""


STRANGER_FLOOD = r"""
import socket, sys
refused = closed = answered = 0
for i in range(int(sys.argv[2])):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(sys.argv[1])
    except OSError:
        refused += 1; s.close(); continue
    try:
        s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocolVersion":1,"client":"x"}}\n'
                  b'{"jsonrpc":"2.0","id":2,"method":"kill","params":{"reason":"stranger"}}\n')
        s.settimeout(10)
        data = s.recv(65536)
    except OSError:
        data = b""
    if data:
        answered += 1
    else:
        closed += 1
    s.close()
print(refused, closed, answered)
"""


def test_another_users_connection_flood_is_refused_and_the_gateway_is_unaffected(env, qraw):
    import pwd
    if os.geteuid() != 0:
        pytest.fail("needs root to act as a second user (run the suite as root, as CI does)")
    other = "gatehouse-peer"
    try:
        pwd.getpwnam(other)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", other], check=True)
    w = World(env, qraw)
    sock = env.socket()
    # Open the modes, as a mistake would: only SO_PEERCRED stands in the way.
    os.chmod(env.root, 0o755)
    os.chmod(sock.parent, 0o755)
    os.chmod(sock, 0o666)
    p = subprocess.run(["runuser", "-u", other, "--", "/usr/bin/python3", "-c", STRANGER_FLOOD, str(sock), "500"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    refused, closed, answered = map(int, p.stdout.split())
    assert answered == 0 and refused + closed == 500, p.stdout
    # The stranger's kill command never acted; the gateway's own user is served; calls still flow.
    code, status, _ = env.ctl("status")
    assert code == 0 and status["killSwitch"]["engaged"] is False
    w.still_serves()
    assert w.gw.close().count("refused a connection") >= closed
