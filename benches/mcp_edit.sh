#!/usr/bin/env bash
# `mcp claude-code --write` on a heavy user's ~/.claude.json: a 20 MB file as
# Claude Code writes it (two-space JSON, every project's prompt history), the
# entry added at user scope (the top-level mcpServers) and at local scope (a new
# key in the 20 MB projects object), each run on a fresh copy. Time (hyperfine,
# medians) and peak memory (GNU time) of the release binary, start to exit.
#
#   bash benches/mcp_edit.sh
#
# Installs hyperfine and GNU time with apt-get when missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --quiet --bin trello-auth
# Where cargo builds: CARGO_TARGET_DIR when set (relative to this folder, as cargo reads it).
release=$(realpath -m "${CARGO_TARGET_DIR:-target}")/release
bin=$release/trello-auth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
mkdir -p "$HOME/project" "$XDG_CONFIG_HOME/trello-auth"
# A saved profile, as a script would make it (no Trello is asked: `mcp` reads the file).
printf 'version = 1\n\n[profiles.default]\napi_key = "0123456789abcdef0123456789abcdef"\ntoken = "ATTA%s"\napp_name = "bench"\n' \
  "$(printf '3f%.0s' $(seq 32))1B2C3D4E" > "$XDG_CONFIG_HOME/trello-auth/config.toml"
chmod 600 "$XDG_CONFIG_HOME/trello-auth/config.toml"

python3 - "$work/claude.json" <<'PY'
import json, sys
prompt = "make the \"board\" list ✓ — with a \\ and a tab\there, then ünïcödé 🙂 " * 8
projects, size, i = {}, 0, 0
while size < 20_000_000:
    history = [{"display": f"{n}: {prompt}", "pastedContents": {}} for n in range(40)]
    project = {"allowedTools": [], "history": history, "mcpContextUris": [], "mcpServers": {},
               "enabledMcpjsonServers": [], "disabledMcpjsonServers": [], "hasTrustDialogAccepted": False,
               "projectOnboardingSeenCount": 1}
    size += len(json.dumps(project, indent=2, ensure_ascii=False).encode())
    projects[f"/home/ann/src/project-{i}"] = project
    i += 1
doc = {"numStartups": 412, "installMethod": "npm", "autoUpdates": True,
       "mcpServers": {"github": {"type": "stdio", "command": "gh-mcp", "args": [], "env": {}}},
       "projects": projects, "userID": "0f0f"}
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
PY
size=$(stat -c %s "$work/claude.json")
echo "== a $size byte ~/.claude.json"

cd "$HOME/project"
for scope in user local; do
  run="$bin mcp claude-code --scope $scope --server /bin/true --write"
  hyperfine -N --warmup 2 --runs 20 --prepare "cp $work/claude.json $HOME/.claude.json" \
    --export-json "$work/$scope.json" "$run" >/dev/null 2>&1
  cp "$work/claude.json" "$HOME/.claude.json"
  /usr/bin/time -f %M -o "$work/peak" $run >/dev/null 2>&1
  peak=$(cat "$work/peak")
  python3 - "$work/$scope.json" "$scope" "$peak" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"--scope {sys.argv[2]:<5}  median {r['median'] * 1000:7.1f} ms  (min {r['min'] * 1000:.1f}, max {r['max'] * 1000:.1f})  peak {int(sys.argv[3]) / 1024:.1f} MiB")
PY
done
