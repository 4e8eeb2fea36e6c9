"""A Python MCP server written with the official `mcp` package's FastMCP (named MCPServer from mcp 2),
over Streamable HTTP on 127.0.0.1, for the interop corpus.

Usage: python3 fastmcp_upstream.py <port> <stateless|stateful>, or python3 fastmcp_upstream.py stdio
Prints "listening" once it serves over HTTP. Stateless: no Mcp-Session-Id; stateful: a session per
client; stdio: one session on stdin/stdout (nothing else is printed there).
"""

import json
import os
import sys

import anyio
from pydantic import BaseModel

try:  # mcp 2.x
    from mcp.server.mcpserver import Context, MCPServer as FastMCP
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import Context, FastMCP

over_stdio = sys.argv[1] == "stdio"
port = 0 if over_stdio else int(sys.argv[1])
stateless = not over_stdio and sys.argv[2] == "stateless"

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


class Name(BaseModel):
    name: str


@mcp.tool()
async def ask_name(ctx: Context) -> str:
    """Asks its caller for a name (form elicitation), listed to every client as FastMCP tools are."""
    answer = await ctx.elicit("What is your name?", Name)
    if answer.action == "accept":
        return f"hello {answer.data.name}"
    return f"no name ({answer.action})"


# What became of each wait call, by tag: in this process, or in the file INTEROP_STATE_FILE names, where
# every process of the server (a gateway may run several over stdio) keeps it alike.
state_file = os.environ.get("INTEROP_STATE_FILE")
memory: dict[str, str] = {}


def read_states() -> dict[str, str]:
    if not state_file or not os.path.exists(state_file):
        return dict(memory)
    with open(state_file) as f:
        return json.load(f)


def record(tag: str, state: str) -> None:
    memory[tag] = state
    if state_file:
        states = read_states()
        states[tag] = state
        with open(state_file, "w") as f:
            json.dump(states, f)


@mcp.tool()
async def wait(seconds: float, tag: str) -> str:
    """Waits, then answers; what became of the call (running, cancelled, done) is kept under its tag (see call_states)."""
    record(tag, "running")
    try:
        await anyio.sleep(seconds)
    except anyio.get_cancelled_exc_class():
        record(tag, "cancelled")
        raise
    record(tag, "done")
    return f"waited {seconds}"


@mcp.tool()
def call_states() -> dict[str, str]:
    """What became of each wait call so far, by tag."""
    return read_states()


@mcp.prompt()
def greet(name: str) -> str:
    """A greeting prompt."""
    return f"Say hello to {name}."


@mcp.resource("memo://readme", mime_type="text/plain")
def readme() -> str:
    """A static text resource."""
    return "Read me: interop corpus."


if over_stdio:
    mcp.run("stdio")
else:
    print("listening", flush=True)
    mcp.run("streamable-http", host="127.0.0.1", port=port, stateless_http=stateless)
