"""mcp-proxy-plus as a stdio-to-stdio proxy, for `gatehouse-bench proxy`.

mcp-proxy-plus has no stdio-to-stdio mode: its CLI either exposes a remote HTTP/SSE server on
stdio, or exposes a stdio server over HTTP/SSE. Its proxying core, `create_proxy_server`, is
transport-free, though: its HTTP server mode wraps a stdio ClientSession to the upstream in it.
This runs that same core with the MCP SDK's stdio server in front instead of HTTP, so it does
the work its server mode does per call (validate, re-dispatch, re-serialise), minus HTTP.

usage: python bench-mcp-proxy-plus-stdio.py UPSTREAM [ARGS...]
"""
import sys

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.server.stdio import stdio_server
from mcp_proxy.proxy_server import create_proxy_server


async def main(command: list[str]) -> None:
    params = StdioServerParameters(command=command[0], args=command[1:])
    async with stdio_client(params) as (up_read, up_write):
        async with ClientSession(up_read, up_write) as session:
            app = await create_proxy_server(session)
            async with stdio_server() as (read, write):
                await app.run(read, write, app.create_initialization_options())


if __name__ == "__main__":
    anyio.run(main, sys.argv[1:])
