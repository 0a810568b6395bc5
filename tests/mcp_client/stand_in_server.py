"""A stand-in MCP server, written with the official MCP Python SDK (mcp 2.x,
where FastMCP is called MCPServer): its one tool `env` reports the Trello
variables and the PATH it was started with, so a test sees exactly what a
real server would have received.

With `--report FILE` it also writes them to FILE (JSON) as it starts: a
client's own health check (`claude mcp get`, `gemini mcp list`, `opencode mcp
list`) starts servers but calls no tool."""

import json
import os
import sys

from mcp.server.mcpserver import MCPServer

app = MCPServer("trello-auth-stand-in")


def seen() -> dict:
    found = {k: v for k, v in os.environ.items() if k.startswith("TRELLO_")}
    found["PATH"] = os.environ.get("PATH", "")
    return found


@app.tool()
def env() -> dict:
    """The Trello variables (and PATH) this server received."""
    return seen()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--report":
        with open(sys.argv[2] + ".tmp", "w") as f:
            json.dump(seen(), f)
        os.replace(sys.argv[2] + ".tmp", sys.argv[2])
    app.run()
