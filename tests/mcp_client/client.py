"""Starts one MCP server entry exactly as a client's config file holds it,
the way the official MCP Python SDK starts stdio servers: the SDK's default
environment (HOME, LOGNAME, PATH, SHELL, TERM, USER of this process) plus the
entry's env block, nothing else.

usage: client.py FILE KEY... --name NAME [--call-env] [--cwd DIR]

FILE is the client's config (JSON, or TOML for Codex); the KEYs lead to the
object holding the servers (mcpServers; projects /abs/dir mcpServers). An
OpenCode entry (`command` as a list, `environment`) is read as OpenCode does. Prints
one JSON object: the server's name, its tools and their descriptions, and
with --call-env what the `env` tool answered (its hex-encoded values decoded).
--cwd starts the server in DIR, as a client starts its servers in the folder
it was opened in (default: this process's own).
"""

import argparse
import json
import sys
import tomllib

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, get_default_environment, stdio_client


def entry_of(path, keys, name):
    with open(path, "rb") as f:
        data = tomllib.load(f) if path.endswith(".toml") else json.load(f)
    for key in keys:
        data = data[key]
    return data[name]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("keys", nargs="+")
    parser.add_argument("--name", required=True)
    parser.add_argument("--call-env", action="store_true")
    parser.add_argument("--cwd")
    args = parser.parse_args()
    entry = entry_of(args.file, args.keys, args.name)
    command = entry["command"]
    if isinstance(command, list):
        # OpenCode: {"type": "local", "command": [CMD, ARGS...], "environment": {...}}
        command, server_args, env = command[0], command[1:], entry.get("environment")
    else:
        server_args, env = entry.get("args", []), entry.get("env")
    params = StdioServerParameters(command=command, args=server_args, env=env, cwd=args.cwd)
    out = {"default_environment": sorted(get_default_environment())}
    async with stdio_client(params, errlog=sys.stderr) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            out["server"] = init.server_info.name
            tools = await session.list_tools()
            out["tools"] = sorted(t.name for t in tools.tools)
            out["descriptions"] = {t.name: t.description for t in tools.tools}
            if args.call_env:
                result = await session.call_tool("env", {})
                if result.is_error:
                    raise SystemExit(f"the env tool failed: {result.content}")
                answer = json.loads(result.content[0].text)
                out["env"] = {k: bytes.fromhex(v).decode() for k, v in answer.items()}
    print(json.dumps(out))


anyio.run(main)
