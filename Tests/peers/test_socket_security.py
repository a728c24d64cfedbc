"""The control socket serves only the gateway's own user (and root)."""

import os
import pwd
import subprocess

import pytest

from conftest import time_server

OTHER = "gatehouse-peer"

CONNECT = r"""
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print("CONNECT-REFUSED", e.errno); sys.exit(0)
try:
    s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocolVersion":1,"client":"x"}}\n')
    s.settimeout(10)
    data = s.recv(65536)
except (ConnectionResetError, BrokenPipeError):
    data = b""
print("ANSWER" if data else "CLOSED-WITHOUT-ANSWER")
"""


@pytest.fixture(scope="module")
def other_user():
    """A second Unix user; created here when the tests run as root (CI does)."""
    if os.geteuid() != 0:
        pytest.fail("socket permission tests need root to act as a second user (run the suite as root, as CI does)")
    try:
        pwd.getpwnam(OTHER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER], check=True)
    return OTHER


def as_other(user, path):
    p = subprocess.run(["runuser", "-u", user, "--", "/usr/bin/python3", "-c", CONNECT, str(path)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def wait_for(path):
    import time
    deadline = time.monotonic() + 20
    while not os.path.exists(path):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_socket_directory_and_file_modes_keep_other_users_out(env, raw, other_user):
    policy = env.policy({"version": "1", "default": "allow"})
    raw(policy, time_server())
    sock = env.socket()
    wait_for(sock)
    assert os.stat(sock.parent).st_mode & 0o777 == 0o700
    assert os.stat(sock).st_mode & 0o777 == 0o600
    # The root of the temporary tree must be passable for the test to mean anything.
    os.chmod(env.root, 0o755)
    assert as_other(other_user, sock).startswith("CONNECT-REFUSED")


def test_peer_credentials_refuse_another_user_even_on_an_open_socket(env, raw, other_user):
    policy = env.policy({"version": "1", "default": "allow"})
    gw = raw(policy, time_server())
    sock = env.socket()
    wait_for(sock)
    # Simulate a mistake that opened the file modes: SO_PEERCRED must still turn the stranger away.
    os.chmod(env.root, 0o755)
    os.chmod(sock.parent, 0o755)
    os.chmod(sock, 0o666)
    assert as_other(other_user, sock) == "CLOSED-WITHOUT-ANSWER"
    # The gateway's own user is still served.
    code, status, _ = env.ctl("status")
    assert code == 0 and status["gateway"]["name"] == "gw"
    assert "refused a connection" in gw.close()
