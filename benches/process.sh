#!/usr/bin/env bash
# Whole-process figures for the README's Performance section: start-to-exit of
# `status --offline` and `env` beside `gh auth status`, time to the wizard's first
# frame, peak memory, binary size, and verify with 200 ms of injected latency.
#
#   bash benches/process.sh
#
# Installs hyperfine, gh and GNU time with apt-get when missing (needs root);
# the keyring figures need dbus and gnome-keyring (as .ci/run installs).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v gh >/dev/null || missing+=(gh)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --quiet --bin trello-auth --example fake_trello --example pty_bench
# Where cargo builds: CARGO_TARGET_DIR when set (relative to this folder, as cargo reads it).
release=$(realpath -m "${CARGO_TARGET_DIR:-target}")/release
bin=$release/trello-auth
work=$(mktemp -d)
trap 'kill $fake_pid 2>/dev/null || true; rm -rf "$work"' EXIT

# A saved profile, made the way a script would: login against the fake Trello.
"$release"/examples/fake_trello > "$work/fake.env" &
fake_pid=$!
for _ in $(seq 50); do grep -q '# token:' "$work/fake.env" 2>/dev/null && break; sleep 0.1; done
# shellcheck disable=SC1091
source "$work/fake.env"
export XDG_CONFIG_HOME=$work/config
token=$(awk '/# token:/ {print $3}' "$work/fake.env")
printf '%s' "$token" | "$bin" login --with-token --key 0123456789abcdef0123456789abcdef >/dev/null

echo "== start to exit (hyperfine, 200 runs, medians)"
hyperfine -N --warmup 20 --runs 200 -i --export-json "$work/h.json" \
  "$bin status --offline" "$bin env" "$bin token" "$bin exec -- true" "gh auth status" >/dev/null 2>&1
python3 - "$work/h.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ms = {r["command"].split("/")[-1]: r["median"] * 1000 for r in results}
gh = ms["gh auth status"]
for name, value in ms.items():
    ratio = "" if name == "gh auth status" else f"  ({value / gh:.3f} of gh auth status)"
    print(f"{name:<28} {value:7.2f} ms{ratio}")
PY

echo "== exec's relay: 500 MB through a pipe, directly and through exec's mask (hyperfine, 10 runs, medians)"
# exec's stdout is a pipe here, so the command runs as a child and its output
# is relayed through the mask; the same bytes straight through a pipe beside it.
hyperfine -N --warmup 2 --runs 10 -i --export-json "$work/r.json" \
  "sh -c 'head -c 500000000 /dev/zero | wc -c'" \
  "sh -c '$bin exec -- head -c 500000000 /dev/zero | wc -c'" >/dev/null 2>&1
python3 - "$work/r.json" <<'PY'
import json, sys
direct, relayed = (r["median"] for r in json.load(open(sys.argv[1]))["results"])
mb = 500
print(f"direct pipe        {mb / direct:8.0f} MB/s  ({direct * 1000:.0f} ms)")
print(f"through exec       {mb / relayed:8.0f} MB/s  ({relayed * 1000:.0f} ms), {direct / relayed:.2f} of direct")
PY

echo "== token from the system keyring (private D-Bus + gnome-keyring, 100 runs)"
if command -v dbus-daemon >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  keyring_home=$work/keyring
  mkdir -p "$keyring_home/run" && chmod 700 "$keyring_home/run"
  dbus-daemon --session --nofork --print-address=1 > "$work/bus" 2>/dev/null &
  bus_pid=$!
  for _ in $(seq 50); do [ -s "$work/bus" ] && break; sleep 0.1; done
  bus=$(head -1 "$work/bus")
  printf 'throwaway' | HOME=$keyring_home XDG_DATA_HOME=$keyring_home/data XDG_RUNTIME_DIR=$keyring_home/run \
    DBUS_SESSION_BUS_ADDRESS=$bus gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  keyring_pid=$!
  sleep 1
  printf '%s' "$token" | DBUS_SESSION_BUS_ADDRESS=$bus "$bin" --profile kr login --with-token \
    --key 0123456789abcdef0123456789abcdef --storage keyring >/dev/null 2>&1
  DBUS_SESSION_BUS_ADDRESS=$bus hyperfine -N --warmup 10 --runs 100 -i --export-json "$work/k.json" \
    "$bin --profile kr token" "$bin --profile kr exec -- true" >/dev/null 2>&1
  python3 - "$work/k.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name = r["command"].split("/")[-1]
    print(f"{name:<28} {r['median'] * 1000:7.2f} ms")
PY
  kill "$keyring_pid" "$bus_pid" 2>/dev/null || true
else
  echo "(needs dbus and gnome-keyring: apt-get install dbus gnome-keyring)"
fi

echo "== time to first frame (pseudo-terminal, 50 runs)"
"$release"/examples/pty_bench first-frame "$bin"

echo "== peak memory"
for args in "status --offline" "env"; do
  # shellcheck disable=SC2086
  /usr/bin/time -f "%M" -o "$work/rss" "$bin" $args >/dev/null
  echo "$args: $(cat "$work/rss") KiB"
done
"$release"/examples/pty_bench wizard-memory "$bin"

echo "== idle wizard (step 4, listener running, 10 s)"
"$release"/examples/pty_bench idle-cpu "$bin"

echo "== release binary"
echo "size_bytes=$(stat -c %s "$bin") ($(( $(stat -c %s "$bin") / 1024 )) KiB)"

echo "== verify with 200 ms injected latency (10 runs)"
"$release"/examples/pty_bench verify-latency
