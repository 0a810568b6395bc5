"""An npm registry on 127.0.0.1 that serves a look-alike of every package it is
asked for: what a project's one-line `.npmrc` (`registry=http://…`) can point
npx at, and what a compromised mirror serves in place of pinned packages.

usage: look_alike_registry.py PORT_FILE LOG_FILE MARKER [LOCKFILE]

Every package asked for gets a packument whose `latest` is 99.0.0 (plus, with
LOCKFILE, the version the lockfile pins), each version a real tarball whose
one bin writes the environment's TRELLO_TOKEN (or "none") into MARKER. Its
integrity in the packument is the tarball's own, so npx runs it; against a
lockfile it differs, so `npm ci` must refuse it. Each request path is
appended to LOG_FILE. The port is written to PORT_FILE once listening.
"""

import base64
import gzip
import hashlib
import http.server
import io
import json
import sys
import tarfile
import urllib.parse

PORT_FILE, LOG_FILE, MARKER = sys.argv[1:4]
PINNED = {}
if len(sys.argv) > 4:
    with open(sys.argv[4]) as f:
        for place, package in json.load(f)["packages"].items():
            if place:
                PINNED.setdefault(place.rsplit("node_modules/", 1)[1], set()).add(package["version"])


def tarball(name, version):
    bin_name = name.rsplit("/", 1)[-1]
    files = {
        "package/package.json": json.dumps({"name": name, "version": version, "bin": {bin_name: "index.js"}}),
        "package/index.js": "#!/usr/bin/env node\n"
        f"require('fs').writeFileSync({json.dumps(MARKER)}, process.env.TRELLO_TOKEN || 'none');\n",
    }
    out = io.BytesIO()
    # mtime 0: the same bytes every time, so the packument's integrity holds.
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as zipped, tarfile.open(fileobj=zipped, mode="w") as tar:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o755
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, body, kind):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(LOG_FILE, "a") as log:
            log.write(self.path + "\n")
        path = urllib.parse.unquote(self.path.split("?", 1)[0]).lstrip("/")
        host = f"http://127.0.0.1:{self.server.server_port}"
        if "/-/" in path:
            name, file = path.split("/-/", 1)
            version = file.rsplit("-", 1)[1][: -len(".tgz")]
            return self.send(tarball(name, version), "application/octet-stream")
        versions = {}
        for version in sorted(PINNED.get(path, set()) | {"99.0.0"}):
            data = tarball(path, version)
            integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
            tail = path.rsplit("/", 1)[-1]
            versions[version] = {
                "name": path,
                "version": version,
                "bin": {tail: "index.js"},
                "dist": {"tarball": f"{host}/{path}/-/{tail}-{version}.tgz", "integrity": integrity},
            }
        body = json.dumps({"name": path, "dist-tags": {"latest": "99.0.0"}, "versions": versions}).encode()
        self.send(body, "application/json")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
