"""A Python MCP server written with the official `mcp` package's FastMCP (named MCPServer from mcp 2),
over Streamable HTTP on 127.0.0.1, for the interop corpus.

Usage: python3 fastmcp_upstream.py <port> <stateless|stateful>
Prints "listening" once it serves. Stateless: no Mcp-Session-Id; stateful: a session per client.
"""

import sys

try:  # mcp 2.x
    from mcp.server.mcpserver import Context, MCPServer as FastMCP
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import Context, FastMCP

port = int(sys.argv[1])
stateless = sys.argv[2] == "stateless"

mcp = FastMCP("interop-python")
calls = {"count": 0}


@mcp.tool()
def add(a: int, b: int) -> int:
    """Adds two integers (a structured result)."""
    return a + b


@mcp.tool()
def echo(text: str) -> str:
    """Echoes its text."""
    return f"echo: {text}"


@mcp.tool()
async def slow_echo(text: str, ctx: Context) -> str:
    """Reports progress and logs before answering (notifications on the answer's stream)."""
    await ctx.info(f"working on {text}")
    await ctx.report_progress(1, 2)
    await ctx.report_progress(2, 2)
    return f"slow echo: {text}"


@mcp.tool()
def fail(reason: str) -> str:
    """Always fails (a tool error)."""
    raise ValueError(f"failed on purpose: {reason}")


@mcp.prompt()
def greet(name: str) -> str:
    """A greeting prompt."""
    return f"Say hello to {name}."


@mcp.resource("memo://readme", mime_type="text/plain")
def readme() -> str:
    """A static text resource."""
    return "Read me: interop corpus."


print("listening", flush=True)
mcp.run("streamable-http", host="127.0.0.1", port=port, stateless_http=stateless)
