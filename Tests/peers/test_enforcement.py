"""The gateway in front of real servers, driven by the official Python SDK client."""

import subprocess

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from conftest import git_server, text_of, time_server

pytestmark = pytest.mark.anyio

GIT_POLICY = {
    "version": "1",
    "default": "deny",
    "hide": ["git_reset"],
    "tools": {"git_log": {}, "git_status": {}, "git_show": {}},
}


async def test_allowed_call_returns_exactly_what_the_direct_call_returns(env, repo):
    policy = env.policy(GIT_POLICY)
    async with Client(StdioServerParameters(command=git_server(repo)[0], args=git_server(repo)[1:])) as direct:
        want_log = await direct.call_tool("git_log", {"repo_path": str(repo), "max_count": 5})
        want_status = await direct.call_tool("git_status", {"repo_path": str(repo)})
    async with env.client(policy, git_server(repo)) as gated:
        got_log = await gated.call_tool("git_log", {"repo_path": str(repo), "max_count": 5})
        got_status = await gated.call_tool("git_status", {"repo_path": str(repo)})
    assert got_log.model_dump() == want_log.model_dump()
    assert got_status.model_dump() == want_status.model_dump()
    assert "second" in text_of(got_log) and not got_log.is_error


async def test_hidden_tools_are_absent_from_the_list_and_denied_when_called(env, repo):
    policy = env.policy(GIT_POLICY)
    async with Client(StdioServerParameters(command=git_server(repo)[0], args=git_server(repo)[1:])) as direct:
        all_tools = {t.name for t in (await direct.list_tools()).tools}
    async with env.client(policy, git_server(repo)) as gated:
        listed = {t.name for t in (await gated.list_tools()).tools}
        called = await gated.call_tool("git_reset", {"repo_path": str(repo)})
    assert "git_reset" in all_tools
    assert listed == all_tools - {"git_reset"}
    assert called.is_error and "not available" in text_of(called)


async def test_a_denied_call_never_reaches_the_upstream(env, repo):
    policy = env.policy(GIT_POLICY)
    async with env.client(policy, git_server(repo)) as gated:
        result = await gated.call_tool("git_add", {"repo_path": str(repo), "files": ["new.txt"]})
    assert result.is_error
    assert "not allowed by policy" in text_of(result)
    staged = subprocess.run(["git", "-C", str(repo), "diff", "--cached", "--name-only"], capture_output=True, text=True)
    assert staged.stdout.strip() == "", "git_add reached the server although the policy denies it"
    rows = env.audit("--tool", "git_add")
    assert [r["outcome"] for r in rows] == ["denied"]


async def test_deny_if_reason_reaches_the_agent(env, repo):
    policy = env.policy({
        "version": "1", "default": "deny",
        "tools": {"git_log": {"reason": "Keep logs short.", "deny_if": [{"path": "args.max_count", "op": "gt", "value": 10}]}},
    })
    async with env.client(policy, git_server(repo)) as gated:
        big = await gated.call_tool("git_log", {"repo_path": str(repo), "max_count": 50})
        small = await gated.call_tool("git_log", {"repo_path": str(repo), "max_count": 2})
    assert big.is_error and "Keep logs short." in text_of(big)
    assert not small.is_error


async def test_rate_limit_refuses_with_counter_use_and_retry_time(env):
    policy = env.policy({
        "version": "1", "default": "deny",
        "tools": {"get_current_time": {"limits": [
            {"counter": "time_rate", "window": "minute", "max": 2, "scope": "grant"}]}},
    })
    async with env.client(policy, time_server()) as gated:
        results = [await gated.call_tool("get_current_time", {"timezone": "UTC"}) for _ in range(3)]
    assert [r.is_error for r in results] == [False, False, True]
    text = text_of(results[2])
    assert "time_rate" in text and "2/2" in text and "Retry after" in text
    assert [r["outcome"] for r in env.audit()] == ["ok", "ok", "rate_limited"]


async def test_the_seed_policy_from_policylayer_loads_and_caps_the_tool(env):
    # PolicyLayer's recommended rule, verbatim, pointed at a tool the time server has.
    seed = """{
  "version": "1",
  "default": "deny",
  "tools": {
    "get_current_time": {
      "limits": [
        {
          "counter": "binancefuturescloselistenkey_rate",
          "window": "minute",
          "max": 30,
          "scope": "grant"
        }
      ]
    }
  }
}"""
    policy = env.policy(seed)
    async with env.client(policy, time_server()) as gated:
        ok = await gated.call_tool("get_current_time", {"timezone": "UTC"})
        other = await gated.call_tool("convert_time", {"source_timezone": "UTC", "time": "12:00", "target_timezone": "UTC"})
    assert not ok.is_error
    assert other.is_error and "default: deny" in text_of(other)


def test_an_upstream_that_dies_gives_errors_not_a_hang(env, raw):
    policy = env.policy({"version": "1", "default": "allow"})
    gw = raw(policy, ["/bin/sh", "-c", "read line; exit 3"])
    gw.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})
    reply = gw.recv_id(1)
    assert reply["error"]["code"] == -32603
    assert "Upstream unavailable" in reply["error"]["message"] and "3" in reply["error"]["message"]
    gw.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "anything", "arguments": {}}})
    later = gw.recv_id(2)
    assert later["error"]["code"] == -32603 and "Upstream unavailable" in later["error"]["message"]
    assert "upstream exited" in gw.close()


def test_an_upstream_that_cannot_start_is_reported(env, raw):
    policy = env.policy({"version": "1", "default": "allow"})
    gw = raw(policy, ["/nonexistent/mcp-server"])
    gw.send({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    reply = gw.recv_id(1)
    assert "failed to start" in reply["error"]["message"] and "/nonexistent/mcp-server" in reply["error"]["message"]
    assert "failed to start" in gw.close()


def test_an_upstream_writing_garbage_is_kept_off_the_clients_stdout(env, raw):
    policy = env.policy({"version": "1", "default": "allow"})
    script = 'read line; echo "this is not json"; echo \'{"jsonrpc":"2.0","id":1,"result":{"ok":true}}\'; sleep 5'
    gw = raw(policy, ["/bin/sh", "-c", script])
    gw.send({"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert gw.recv(10) == {"jsonrpc": "2.0", "id": 1, "result": {"ok": True}}
    assert "not JSON-RPC" in gw.close()
