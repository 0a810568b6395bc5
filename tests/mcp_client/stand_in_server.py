"""A stand-in MCP server, written with the official MCP Python SDK (mcp 2.x,
where FastMCP is called MCPServer): its one tool `env` reports the Trello
variables and the PATH it was started with, so a test sees exactly what a
real server would have received.

`env` answers each value hex-encoded: `trello-auth exec` hides the token
wherever it appears whole in the server's output, and the tests want to see
the very bytes the server received (client.py decodes them)."""

import os

from mcp.server.mcpserver import MCPServer

app = MCPServer("trello-auth-stand-in")


@app.tool()
def env() -> dict:
    """The Trello variables (and PATH) this server received, hex-encoded."""
    seen = {k: v for k, v in os.environ.items() if k.startswith("TRELLO_")}
    seen["PATH"] = os.environ.get("PATH", "")
    return {k: v.encode().hex() for k, v in seen.items()}


if __name__ == "__main__":
    app.run()
