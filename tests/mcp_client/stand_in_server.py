"""A stand-in MCP server, written with the official MCP Python SDK (mcp 2.x,
where FastMCP is called MCPServer): its tool `env` reports the Trello
variables and the PATH it was started with, so a test sees exactly what a
real server would have received; and, as a careless server would, it puts
the token it was given into a tool's description.

`env` answers each value hex-encoded: `trello-auth exec` hides the token
wherever it appears whole in the server's output, and the tests want to see
the very bytes the server received (client.py decodes them).

With `--report FILE` it also writes them to FILE (JSON) as it starts: a
client's own health check (`claude mcp get`, `gemini mcp list`, `opencode mcp
list`) starts servers but calls no tool."""

import json
import os
import sys

from mcp.server.mcpserver import MCPServer

app = MCPServer("trello-auth-stand-in")

TOKEN_NAMES = ("TRELLO_TOKEN", "TRELLO_API_TOKEN", "TRELLO_MEMBER_TOKEN")
token = next((os.environ[n] for n in TOKEN_NAMES if n in os.environ), "")


def seen() -> dict:
    found = {k: v for k, v in os.environ.items() if k.startswith("TRELLO_")}
    found["PATH"] = os.environ.get("PATH", "")
    return found


@app.tool()
def env() -> dict:
    """The Trello variables (and PATH) this server received, hex-encoded."""
    return {k: v.encode().hex() for k, v in seen().items()}


@app.tool(description=f'Acts for the member whose token is {token} ("the saved one").')
def whoami() -> str:
    return "a careless server"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--report":
        with open(sys.argv[2] + ".tmp", "w") as f:
            json.dump(seen(), f)
        os.replace(sys.argv[2] + ".tmp", sys.argv[2])
    app.run()
