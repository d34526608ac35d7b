"""A local stand-in for the Hugging Face Hub, for tests that must never touch the real network.

Serves model repos made of local folders through exactly what huggingface_hub's model_info,
get_hf_file_metadata and file downloads use (point HF_ENDPOINT at `stub.url`):

- GET  /api/models/<repo>/revision/<rev>   model info JSON with `siblings` (sizes, lfs for weights)
- HEAD /<repo>/resolve/<rev>/<file>        X-Repo-Commit, ETag, Content-Length, Accept-Ranges
- GET  /<repo>/resolve/<rev>/<file>        the bytes; `Range: bytes=N-` answers 206
- a repo with a `token` answers 401 + X-Error-Code: GatedRepo on resolve without
  `Authorization: Bearer <token>` (model info stays public, as on the Hub)
- unknown repos answer 404 + X-Error-Code: RepoNotFound, unknown revisions RevisionNotFound.

Every request is recorded in `stub.requests` (method, path, Range, Authorization present).
`stub.delay_s` sleeps after every `stub.chunk` bytes sent, so a test can cancel mid-file.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse


class Repo:
    def __init__(self, folder: Path, sha: str, token: str | None = None):
        self.folder = Path(folder)
        self.sha = sha
        self.token = token
        self.files = sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file())

    def is_lfs(self, name: str) -> bool:
        return name.endswith((".safetensors", ".bin", ".model"))

    def etag(self, name: str) -> str:
        data = (self.folder / name).read_bytes()
        if self.is_lfs(name):
            return hashlib.sha256(data).hexdigest()
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

    def sibling(self, name: str) -> dict:
        size = (self.folder / name).stat().st_size
        out = {"rfilename": name, "size": size, "blobId": hashlib.sha1(name.encode()).hexdigest()}
        if self.is_lfs(name):
            out["lfs"] = {"size": size, "sha256": self.etag(name), "pointerSize": 134}
        return out


class HubStub:
    def __init__(self):
        self.repos: dict[str, Repo] = {}
        self.requests: list[dict] = []
        self.delay_s = 0.0
        self.chunk = 16384
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_HEAD(self):
                stub.handle(self, head=True)

            def do_GET(self):
                stub.handle(self, head=False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, repo_id: str, folder: Path, sha: str | None = None, token: str | None = None) -> Repo:
        repo = Repo(folder, sha or hashlib.sha1(repo_id.encode()).hexdigest(), token)
        self.repos[repo_id] = repo
        return repo

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- request handling

    def _send(self, h, status: int, headers: dict, body: bytes = b"", head: bool = False) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, str(v))
        if "Content-Length" not in headers:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if not head and body:
            h.wfile.write(body)

    def _error(self, h, status: int, code: str, head: bool) -> None:
        body = json.dumps({"error": code}).encode()
        self._send(h, status, {"Content-Type": "application/json", "X-Error-Code": code, "X-Error-Message": code}, body, head)

    def _revision(self, repo: Repo, rev: str) -> bool:
        return rev in ("main", repo.sha)

    def handle(self, h, head: bool) -> None:
        path = unquote(urlparse(h.path).path)
        self.requests.append(
            {"method": h.command, "path": path, "range": h.headers.get("Range"), "auth": h.headers.get("Authorization") is not None}
        )
        if path.startswith("/api/models/"):
            rest = path[len("/api/models/") :]
            repo_id, _, rev = rest.partition("/revision/")
            repo = self.repos.get(repo_id)
            if repo is None:
                return self._error(h, 404, "RepoNotFound", head)
            if not self._revision(repo, rev or "main"):
                return self._error(h, 404, "RevisionNotFound", head)
            info = {
                "id": repo_id,
                "modelId": repo_id,
                "sha": repo.sha,
                "private": False,
                "gated": "manual" if repo.token else False,
                "tags": [],
                "siblings": [repo.sibling(f) for f in repo.files],
            }
            return self._send(h, 200, {"Content-Type": "application/json"}, json.dumps(info).encode(), head)
        if "/resolve/" in path:
            repo_id, _, rest = path.lstrip("/").partition("/resolve/")
            rev, _, name = rest.partition("/")
            repo = self.repos.get(repo_id)
            if repo is None:
                return self._error(h, 404, "RepoNotFound", head)
            if repo.token and h.headers.get("Authorization") != f"Bearer {repo.token}":
                return self._error(h, 401, "GatedRepo", head)
            if not self._revision(repo, rev):
                return self._error(h, 404, "RevisionNotFound", head)
            if name not in repo.files:
                return self._error(h, 404, "EntryNotFound", head)
            data = (repo.folder / name).read_bytes()
            etag = repo.etag(name)
            headers = {"X-Repo-Commit": repo.sha, "ETag": f'"{etag}"', "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
            if repo.is_lfs(name):
                headers["X-Linked-Etag"] = f'"{etag}"'
                headers["X-Linked-Size"] = len(data)
            status, start = 200, 0
            rng = h.headers.get("Range")
            if rng and rng.startswith("bytes=") and not head:
                start = int(rng[len("bytes=") :].split("-")[0])
                status = 206
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            body = data[start:]
            headers["Content-Length"] = len(data) if head else len(body)
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, str(v))
            h.end_headers()
            if head:
                return
            try:
                for i in range(0, len(body), self.chunk):
                    h.wfile.write(body[i : i + self.chunk])
                    h.wfile.flush()
                    if self.delay_s:
                        time.sleep(self.delay_s)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self._error(h, 404, "NotFound", head)


if __name__ == "__main__":
    # For the app's integration tests: `python hf_stub.py OWNER/NAME=FOLDER[=TOKEN] ...` prints
    # {"url"} on one line and serves until stdin closes; `requests` prints the request log then.
    import sys

    stub = HubStub()
    for spec in sys.argv[1:]:
        repo_id, folder, *token = spec.split("=")
        stub.add(repo_id, Path(folder), token=token[0] if token else None)
    print(json.dumps({"url": stub.url}), flush=True)
    for line in sys.stdin:
        if line.strip() == "requests":
            print(json.dumps(stub.requests), flush=True)
    stub.close()
