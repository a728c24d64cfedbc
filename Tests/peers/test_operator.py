"""Operators at work: approvals through `gatehouse ctl`, the kill switch, persistence, reloads."""

import json
import time

import anyio
import pytest

from conftest import text_of, time_server

pytestmark = pytest.mark.anyio


def held_policy(timeout="30s", on_timeout="deny", extra_tools=None):
    tools = {"get_current_time": {"action": "require_approval",
                                  "approval": {"timeout": timeout, "on_timeout": on_timeout}}}
    tools.update(extra_tools or {})
    return {"version": "1", "default": "deny", "tools": tools}


async def call_in_background(client, tg, results, name="get_current_time", args=None):
    async def run():
        results.append(await client.call_tool(name, args or {"timezone": "UTC"}))
    tg.start_soon(run)


async def test_an_approval_through_ctl_releases_the_held_call(env):
    policy = env.policy(held_policy())
    results = []
    async with env.client(policy, time_server()) as gated:
        async with anyio.create_task_group() as tg:
            await call_in_background(gated, tg, results)
            pending = await env.wait_pending()
            assert pending[0]["call"]["tool"] == "get_current_time"
            assert pending[0]["call"]["arguments"] == {"timezone": "UTC"}
            assert pending[0]["onTimeout"] == "deny"
            _, answer, _ = await env.actl("approve", pending[0]["id"])
            assert answer["call"]["approver"]
    assert len(results) == 1 and not results[0].is_error
    assert '"timezone": "UTC"' in text_of(results[0])
    row = env.audit("--tool", "get_current_time")[-1]
    assert row["decision"] == "hold" and row["outcome"] == "ok" and row["approvalScope"] == "once"


async def test_an_operator_denial_reaches_the_agent_with_its_reason(env):
    policy = env.policy(held_policy())
    results = []
    async with env.client(policy, time_server()) as gated:
        async with anyio.create_task_group() as tg:
            await call_in_background(gated, tg, results)
            pending = await env.wait_pending()
            await env.actl("deny", pending[0]["id"], "--reason", "not during the freeze")
            # A second resolution of the same call is refused: the first one won.
            code, _, err = await env.actl("approve", pending[0]["id"], expect=1)
            assert "already denied" in err
    assert results[0].is_error
    assert "not during the freeze" in text_of(results[0])


async def test_a_held_call_times_out_into_a_denial(env):
    policy = env.policy(held_policy(timeout="1s"))
    async with env.client(policy, time_server()) as gated:
        with anyio.fail_after(20):
            result = await gated.call_tool("get_current_time", {"timezone": "UTC"})
    assert result.is_error and "No operator approved" in text_of(result)
    assert env.audit("--tool", "get_current_time")[-1]["outcome"] == "timed_out"


async def test_on_timeout_allow_forwards_the_call(env):
    policy = env.policy(held_policy(timeout="1s", on_timeout="allow"))
    async with env.client(policy, time_server()) as gated:
        with anyio.fail_after(20):
            result = await gated.call_tool("get_current_time", {"timezone": "UTC"})
    assert not result.is_error
    assert env.audit("--tool", "get_current_time")[-1]["approver"] == "timeout"


def test_cancellation_takes_the_call_out_of_the_queue(env, raw):
    policy = env.policy(held_policy())
    gw = raw(policy, time_server())
    gw.initialize()
    gw.send({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {
        "name": "get_current_time", "arguments": {"timezone": "UTC"}, "_meta": {"progressToken": "tok"}}})
    deadline = time.monotonic() + 20
    while not env.ctl("pending")[1]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    # While it waits, the client hears progress, so it does not time out.
    progress = gw.recv(10)
    assert progress["method"] == "notifications/progress" and progress["params"]["progressToken"] == "tok"
    gw.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 7, "reason": "user gave up"}})
    while env.ctl("pending")[1]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    row = env.audit("--tool", "get_current_time")[-1]
    assert row["outcome"] == "cancelled" and "user gave up" in row["reason"]


async def test_kill_switch_denies_everything_and_survives_a_restart(env):
    policy = env.policy({"version": "1", "default": "allow"})
    async with env.client(policy, time_server()) as gated:
        assert not (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error
        _, info, _ = await env.actl("kill", "--reason", "runaway agent")
        assert info["engaged"] is True
        denied = await gated.call_tool("get_current_time", {"timezone": "UTC"})
        assert denied.is_error and "Kill switch engaged by" in text_of(denied) and "runaway agent" in text_of(denied)
    # A new gateway process on the same state directory must not re-open what the operator closed.
    async with env.client(policy, time_server()) as gated:
        still = await gated.call_tool("get_current_time", {"timezone": "UTC"})
        assert still.is_error and "Kill switch engaged" in text_of(still)
        await env.actl("release")
        assert not (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error


async def test_kill_switch_denies_calls_already_waiting(env):
    policy = env.policy(held_policy())
    results = []
    async with env.client(policy, time_server()) as gated:
        async with anyio.create_task_group() as tg:
            await call_in_background(gated, tg, results)
            await env.wait_pending()
            await env.actl("kill")
    assert results[0].is_error and "Kill switch" in text_of(results[0])
    assert env.audit("--tool", "get_current_time")[-1]["outcome"] == "denied"


async def test_counters_survive_restarts_and_are_shared_by_gateways_on_one_state_dir(env):
    policy = env.policy({"version": "1", "default": "deny", "tools": {"get_current_time": {"limits": [
        {"counter": "clock_reads", "window": "hour", "max": 3, "scope": "grant"}]}}})
    async with env.client(policy, time_server(), name="a", grant="desk") as a:
        assert not (await a.call_tool("get_current_time", {"timezone": "UTC"})).is_error
        assert not (await a.call_tool("get_current_time", {"timezone": "UTC"})).is_error
        async with env.client(policy, time_server(), name="b", grant="desk") as b:
            assert not (await b.call_tool("get_current_time", {"timezone": "UTC"})).is_error
            over = await b.call_tool("get_current_time", {"timezone": "UTC"})
            assert over.is_error and "3/3" in text_of(over)
    async with env.client(policy, time_server(), name="a", grant="desk") as a:
        again = await a.call_tool("get_current_time", {"timezone": "UTC"})
        assert again.is_error and "clock_reads" in text_of(again)
    # Another identity has its own budget.
    async with env.client(policy, time_server(), name="a", grant="other") as a:
        assert not (await a.call_tool("get_current_time", {"timezone": "UTC"})).is_error


async def test_a_tool_override_denies_and_clears_and_survives_a_restart(env):
    policy = env.policy({"version": "1", "default": "allow"})
    async with env.client(policy, time_server()) as gated:
        await env.actl("tool", "get_current_time", "deny")
        denied = await gated.call_tool("get_current_time", {"timezone": "UTC"})
        assert denied.is_error and "blocked by operator" in text_of(denied)
    async with env.client(policy, time_server()) as gated:
        assert (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error
        await env.actl("tool", "get_current_time", "clear")
        assert not (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error


async def test_approve_always_becomes_a_runtime_rule(env):
    policy = env.policy(held_policy())
    results = []
    async with env.client(policy, time_server()) as gated:
        async with anyio.create_task_group() as tg:
            await call_in_background(gated, tg, results)
            pending = await env.wait_pending()
            await env.actl("approve", pending[0]["id"], "--always")
        # The next call is not held at all.
        with anyio.fail_after(10):
            assert not (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error
        _, status, _ = await env.actl("status")
        tool = next(t for t in status["tools"] if t["name"] == "get_current_time")
        assert tool["override"] == "allow" and tool["state"] == "allowed"
    assert not results[0].is_error


async def test_the_policy_file_is_hot_reloaded_and_a_bad_file_keeps_the_old_one(env):
    policy = env.policy({"version": "1", "default": "deny"})
    async with env.client(policy, time_server()) as gated:
        assert (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error
        policy.write_text(json.dumps({"version": "1", "default": "deny", "tools": {"get_current_time": {}}}))
        with anyio.fail_after(15):
            while (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error:
                await anyio.sleep(0.3)
        policy.write_text('{"version": "1", "default": "allow", "tools": {"get_current_time": {"limts": []}}}')
        code, _, err = await env.actl("reload", expect=1)
        assert "limts" in err and "did you mean" in err
        # The last good policy is still in force: the misspelt file did not open everything.
        assert not (await gated.call_tool("get_current_time", {"timezone": "UTC"})).is_error
        assert (await gated.call_tool("convert_time", {"source_timezone": "UTC", "time": "12:00",
                                                       "target_timezone": "UTC"})).is_error
