"""kill -9 in the middle of traffic, over and over, on one state directory.

Each cycle starts a real `gatehouse serve`, checks what the previous cycles left (kill switch,
overrides, counters), maybe changes operator state, sends a stream of allowed, denied,
rate-limited and spend-capped calls, and SIGKILLs the gateway at a random moment. At the end:

- every answer the client received has its final audit row (ok / denied / rate_limited), and
  no row is torn (every row reads back whole);
- no counter ever went backwards between cycles, and the spend counter covers every allowed
  spend call the client saw answered;
- the kill switch and overrides are as the last acknowledged command left them.

GATEHOUSE_KILL_CYCLES sets the number of cycles (default 50; GATEHOUSE_HEAVY=1 makes it 500).
"""

import json
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time

from conftest import GATEHOUSE
from test_hostile import FAKE

CYCLES = int(os.environ.get("GATEHOUSE_KILL_CYCLES") or (500 if os.environ.get("GATEHOUSE_HEAVY") == "1" else 50))

POLICY = {
    "version": "1",
    "default": "deny",
    "tools": {
        "ok": {},
        "no": {"action": "deny", "reason": "never"},
        "lim": {"rate_limit": "7/day"},
        "spend": {"limits": [{"counter": "budget", "window": "day", "max": 1000000000, "increment_from": "args.amount"}]},
        "flip": {},
    },
}


class Control:
    """A minimal control-socket client (hello, then requests answered in order)."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(20)
        self.s.connect(str(path))
        self.f = self.s.makefile("rb")
        self.n = 0
        assert "result" in self.request("hello", {"protocolVersion": 1, "client": "durability"})

    def request(self, method, params=None):
        self.n += 1
        msg = {"jsonrpc": "2.0", "id": self.n, "method": method}
        if params is not None:
            msg["params"] = params
        self.s.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            line = self.f.readline()
            assert line, "control socket closed"
            m = json.loads(line)
            if m.get("id") == self.n:
                return m

    def close(self):
        self.f.close()
        self.s.close()


class Gateway:
    def __init__(self, env, upstream):
        args = env.serve_args(env.policy(POLICY), upstream, extra=("--log-level", "error"))
        self.proc = subprocess.Popen([GATEHOUSE, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.answers = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.answers.put(json.loads(line))
        self.answers.put(None)

    def send(self, obj):
        self.proc.stdin.write(json.dumps(obj).encode() + b"\n")
        self.proc.stdin.flush()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=30)
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.stdout.close()
        got = []
        while True:
            m = self.answers.get()
            if m is None:
                return got
            got.append(m)


def wait_for_socket(env, deadline=30):
    end = time.monotonic() + deadline
    while True:
        try:
            return Control(env.socket())
        except (FileNotFoundError, ConnectionRefusedError):
            assert time.monotonic() < end, "the control socket never appeared"
            time.sleep(0.02)


def counters(ctl):
    status = ctl.request("status")["result"]
    return {c["counter"]: c["used"] for c in status["counters"]}, status


def test_kill_dash_nine_mid_traffic_loses_no_answered_call_and_no_state(env):
    rng = random.Random(int(os.environ.get("GATEHOUSE_KILL_SEED", "20260728")))
    script = env.root / "fake_upstream.py"
    script.write_text(FAKE)
    upstream = [sys.executable, str(script), str(env.root / "calls.jsonl")]

    sent = {}            # id -> (tool, nonce)
    answered = {}        # id -> answer
    expect_kill = None   # None: released; else engaged (as last acknowledged)
    expect_override = None
    seen_counters = {}
    n = 0
    started = time.monotonic()
    kills_mid_traffic = 0

    for cycle in range(CYCLES):
        gw = Gateway(env, upstream)
        ctl = wait_for_socket(env)
        used, status = counters(ctl)
        # State from before the kill is intact.
        assert status["killSwitch"]["engaged"] == (expect_kill is not None), f"cycle {cycle}: kill switch lost"
        flip = next((t for t in status["tools"] if t["name"] == "flip"), {})
        assert flip.get("override") == expect_override, f"cycle {cycle}: override {flip.get('override')} != {expect_override}"
        for name, value in seen_counters.items():
            assert used.get(name, 0) >= value, f"cycle {cycle}: counter {name} went back from {value} to {used.get(name)}"
        seen_counters = used

        # Operator changes, acknowledged before the kill can land.
        r = rng.random()
        if r < 0.15:
            if expect_kill is None:
                assert "result" in ctl.request("kill", {"reason": f"cycle {cycle}"})
                expect_kill = cycle
            else:
                assert "result" in ctl.request("release")
                expect_kill = None
        elif r < 0.4:
            action = rng.choice(["allow", "deny", "require_approval", "clear"])
            assert "result" in ctl.request("tool.override", {"tool": "flip", "action": action})
            expect_override = None if action == "clear" else action
        ctl.close()

        # Traffic, and a kill at a random moment in it.
        stop = threading.Event()
        def traffic():
            nonlocal n
            while not stop.is_set():
                n += 1
                tool = rng.choice(["ok", "ok", "no", "lim", "spend", "spend"])
                nonce = f"{cycle}-{n}"
                args = {"n": nonce, "amount": 1} if tool == "spend" else {"n": nonce}
                sent[n] = (tool, nonce)
                try:
                    gw.send({"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": tool, "arguments": args}})
                except (BrokenPipeError, ValueError, OSError):
                    return
                if rng.random() < 0.3:
                    time.sleep(0.001)
        t = threading.Thread(target=traffic, daemon=True)
        t.start()
        time.sleep(rng.uniform(0.02, 0.4))
        answers = gw.kill()
        stop.set()
        t.join(timeout=30)
        if answers:
            kills_mid_traffic += 1
        for a in answers:
            assert a.get("id") is not None and a["id"] not in answered, f"answered twice or without id: {a}"
            answered[a["id"]] = a

    elapsed = time.monotonic() - started
    # One last start, to read the final state through the gateway too.
    gw = Gateway(env, upstream)
    ctl = wait_for_socket(env)
    used, status = counters(ctl)
    ctl.close()
    gw.kill()

    rows = env.audit("--limit", "100000000")
    by_call = {r["id"]: r for r in rows}
    by_nonce = {}
    for r in rows:
        assert r.get("tool") and r.get("outcome") and r.get("decision"), f"torn row {r}"
        nonce = (r.get("arguments") or {}).get("n")
        if nonce:
            assert nonce not in by_nonce or by_nonce[nonce]["id"] == r["id"], f"two rows for one call {nonce}"
            by_nonce[nonce] = r

    ok_spends = 0
    for id, a in answered.items():
        tool, nonce = sent[id]
        row = by_nonce.get(nonce)
        assert row is not None, f"answered call {id} ({tool}) has no audit row"
        result = a.get("result") or {}
        meta = result.get("_meta") or {}
        if "gatehouse/callId" in meta:
            assert by_call[meta["gatehouse/callId"]]["id"] == row["id"]
            want = {"deny": "denied", "rate_limited": "rate_limited"}[meta["gatehouse/decision"]]
            assert row["outcome"] == want, f"call {id} answered {meta['gatehouse/decision']} but audited {row['outcome']}"
        else:
            assert "result" in a, f"call {id}: {a}"
            assert json.loads(result["content"][0]["text"])["n"] == nonce
            assert row["outcome"] == "ok", f"answered call {id} ({tool}) audited as {row['outcome']}"
            if tool == "spend":
                ok_spends += 1
    # Every spend the client saw succeed was charged, and stays charged.
    assert used.get("budget", 0) >= ok_spends
    assert used.get("rate_limit:lim", 0) <= 7
    print(f"\n{CYCLES} kill -9 cycles in {elapsed:.0f}s: {len(sent)} calls sent, {len(answered)} answered "
          f"({kills_mid_traffic} kills landed mid-traffic), {len(rows)} audit rows, budget used {used.get('budget')} "
          f">= {ok_spends} answered spends; state intact")
