"""The README's commands, run as pasted: a newcomer's first five minutes must work."""

import os
import re
import shutil
import subprocess
import time
import uuid

from conftest import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)


def test_the_readme_names_exactly_the_two_set_up_commands():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", setup, re.S)
    assert [c.strip() for c in commands] == ["swift run gatehouse demo", "./scripts/test"]
    # CI runs the same test command the README gives.
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_the_quick_start_commands_work_as_pasted():
    quick = [b for b in BLOCKS if b.strip() not in ("swift run gatehouse demo", "./scripts/test")]
    assert len(quick) >= 3
    shutil.rmtree("/tmp/gatehouse-try", ignore_errors=True)
    try:
        outputs = []
        for block in quick:
            p = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=ROOT, capture_output=True, text=True,
                               timeout=900)
            assert p.returncode == 0, f"README block failed:\n{block}\n--- stdout\n{p.stdout}\n--- stderr\n{p.stderr}"
            outputs.append(p.stdout)
        assert "ok (default deny" in outputs[0] and "decision: allow" in outputs[0]
        assert '"mcpServers"' in outputs[1]
        wrapped = open("/tmp/gatehouse-try/claude_desktop_config.json").read()
        assert '"serve"' in wrapped and "gatehouse" in wrapped
    finally:
        shutil.rmtree("/tmp/gatehouse-try", ignore_errors=True)


def test_swift_run_gatehouse_demo_shows_the_dashboard_and_leaves_nothing_behind():
    session = f"readme-{uuid.uuid4().hex[:8]}"
    before = set(os.listdir("/tmp"))
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
                    f"cd {ROOT} && swift run gatehouse demo; echo DEMO-EXITED-$?; sleep 60"], check=True)
    try:
        deadline = time.monotonic() + 600
        screen = ""
        while "Pending approvals" not in screen:
            assert time.monotonic() < deadline, f"the demo never showed a held call:\n{screen}"
            time.sleep(1)
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        assert "Live stream" in screen and "exchange" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        while "DEMO-EXITED-0" not in screen:
            assert time.monotonic() < deadline, f"the demo did not quit cleanly:\n{screen}"
            time.sleep(0.5)
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        leftovers = [n for n in set(os.listdir("/tmp")) - before if n.startswith("gatehouse-demo")]
        assert leftovers == [], f"the demo left {leftovers} behind"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
