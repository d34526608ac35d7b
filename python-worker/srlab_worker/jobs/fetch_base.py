"""Download a Hugging Face base model into the normal hub cache, with byte progress, a prompt cancel,
resumable partial files and typed errors (gated, not-found, network).

params: {repo, revision="main", token=null}   (the app passes the token as HF_TOKEN in the env)
result: {path, revision, files, bytes, downloaded, cached}

Only the files training needs: config/tokenizer/generation JSON, tokenizer.model and the
safetensors weights (+ index). *.bin weights are fetched only when the repo has no safetensors;
*.pth, *.gguf and original/ are never fetched.

Resume: huggingface_hub (1.x) downloads into a per-process temporary file that it deletes on
failure, so an interrupted 13 GB download would start again from zero. Blobs missing from the
cache are therefore fetched here into `blobs/<etag>.srlab-part`, appended to with an HTTP Range
request on the next call, and renamed to `blobs/<etag>` when complete; hf_hub_download then only
links the snapshot entry to the existing blob. A manifest `srlab-fetch/<sha>.json` in the repo's
cache folder records the chosen files, so an offline call (HF_HUB_OFFLINE=1) knows whether the
snapshot is complete without the network.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import re
import threading
import time
from pathlib import Path

from ..errors import Cancelled, WorkerError

PROGRESS_INTERVAL_S = 0.25
COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")
CONFIG_FILES = ("*.json", "tokenizer.model", "*.tiktoken", "merges.txt", "vocab.txt")
NEVER = ("original/*", "*.pth", "*.gguf", "*.pt", "*.h5", "*.msgpack", "*.onnx", "*.ot", "training_args.bin")


def select_files(names: list[str]) -> tuple[list[str], str]:
    """The files training needs, and which weights format ("safetensors" or "bin")."""
    top = [n for n in names if "/" not in n and not any(fnmatch.fnmatch(n, p) for p in NEVER)]
    has_st = any(n.endswith(".safetensors") for n in top)
    fmt = "safetensors" if has_st else "bin"
    out = []
    for n in top:
        if n.endswith(".safetensors") or n.endswith(".safetensors.index.json"):
            keep = has_st
        elif n.endswith(".bin") or n.endswith(".bin.index.json"):
            keep = not has_st
        else:
            keep = any(fnmatch.fnmatch(n, p) for p in CONFIG_FILES)
        if keep:
            out.append(n)
    return sorted(out), fmt


def hub_cache() -> str:
    from huggingface_hub import constants

    return constants.HF_HUB_CACHE


def storage_folder(repo: str) -> Path:
    from huggingface_hub.file_download import repo_folder_name

    return Path(hub_cache()) / repo_folder_name(repo_id=repo, repo_type="model")


def manifest_path(repo: str, sha: str) -> Path:
    return storage_folder(repo) / "srlab-fetch" / f"{sha}.json"


def cached_snapshot(repo: str, revision: str) -> dict | None:
    """The complete snapshot recorded by an earlier fetch, without the network, or None."""
    store = storage_folder(repo)
    sha = revision if COMMIT_RE.match(revision) else None
    if sha is None:
        ref = store / "refs" / revision
        if not ref.is_file():
            return None
        sha = ref.read_text().strip()
    snap = store / "snapshots" / sha
    try:
        manifest = json.loads(manifest_path(repo, sha).read_text())
    except (OSError, ValueError):
        manifest = _manifest_from_snapshot(snap)
        if manifest is None:
            return None
    if not all((snap / f).exists() for f in manifest["files"]):
        return None
    return {"path": str(snap), "revision": sha, "files": manifest["files"], "bytes": manifest["bytes"], "downloaded": 0, "cached": True}


def _manifest_from_snapshot(snap: Path) -> dict | None:
    """A snapshot fetched by other tools (no srlab manifest) counts as complete when it has a
    config, a tokenizer and every weight file its index names (or the single weights file)."""
    if not snap.is_dir():
        return None
    names = [p.name for p in snap.iterdir() if p.exists()]
    files, fmt = select_files(names)
    if "config.json" not in files or not ({"tokenizer.model", "tokenizer.json"} & set(files)):
        return None
    index = next((f for f in files if f.endswith(f".{fmt}.index.json")), None)
    if index is not None:
        try:
            shards = set(json.loads((snap / index).read_text())["weight_map"].values())
        except (OSError, ValueError, KeyError, AttributeError):
            return None
        if not shards <= set(files):
            return None
    elif not any(f.endswith(f".{fmt}") for f in files):
        return None
    return {"files": files, "bytes": sum((snap / f).stat().st_size for f in files)}


class _Progress:
    """Bytes done over all files, throttled; every update checks the cancel flag."""

    def __init__(self, ctx, total: int, done: int):
        self.ctx, self.total, self.done = ctx, total, done
        self.downloaded = 0
        self.last = 0.0
        self.lock = threading.Lock()

    def add(self, n: int, force: bool = False, check: bool = True) -> None:
        with self.lock:
            self.done += n
            now = time.monotonic()
            if n and (force or now - self.last >= PROGRESS_INTERVAL_S):
                self.last = now
                self.ctx.progress(max(0, min(self.done, self.total)), self.total, unit="bytes")
            elif force:
                self.ctx.progress(max(0, min(self.done, self.total)), self.total, unit="bytes")
        if check:
            self.ctx.check_cancel()

    def tqdm_class(self):
        """A tqdm stand-in for huggingface_hub's http_get: `initial` counts as done, updates add."""
        progress = self

        class Hook:
            def __init__(self, *args, initial=0, **kwargs):
                if initial:
                    progress.add(int(initial))

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def update(self, n=1):
                if n:
                    progress.downloaded += int(n)
                    progress.add(int(n))

            def close(self):
                pass

            def set_postfix_str(self, *a, **k):
                pass

            def refresh(self, *a, **k):
                pass

        return Hook


def _download_blob(url: str, blob: Path, size: int | None, token: str | None, progress: _Progress, ctx) -> None:
    """Fetch one blob into `<blob>.srlab-part`, resuming it with a Range request when it is there,
    in small chunks so a cancel is prompt; transient network errors resume a few times in place."""
    import httpx
    from huggingface_hub import constants
    from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

    part = blob.with_name(blob.name + ".srlab-part")
    blob.parent.mkdir(parents=True, exist_ok=True)
    chunk = int(os.environ.get("SRLAB_FETCH_CHUNK_BYTES", str(1 << 20)))
    base_headers = build_hf_headers(token=token)
    base_headers["Accept-Encoding"] = "identity"
    for attempt in range(4):
        have = part.stat().st_size if part.exists() else 0
        if size is not None and have > size:  # not the file we think it is
            part.unlink()
            have = 0
        if size is not None and have == size:
            break
        headers = dict(base_headers)
        if have:
            headers["Range"] = f"bytes={have}-"
            ctx.log(f"resuming {blob.name[:12]}… at {have} of {size} bytes")
        progress.add(have)
        try:
            with open(part, "ab") as fh, get_session().stream("GET", url, headers=headers, timeout=constants.HF_HUB_DOWNLOAD_TIMEOUT, follow_redirects=True) as r:
                hf_raise_for_status(r)
                if have and r.status_code != 206:  # the server ignored the Range: start over
                    fh.seek(0)
                    fh.truncate()
                    progress.add(-have)
                for data in r.iter_bytes(chunk_size=chunk):
                    fh.write(data)
                    progress.downloaded += len(data)
                    progress.add(len(data))
            break
        except (httpx.TransportError,) as err:
            progress.add(-(part.stat().st_size if part.exists() else 0))
            if attempt == 3:
                raise
            ctx.log(f"download interrupted ({err}); resuming", "warn")
            time.sleep(1)
        except BaseException:
            progress.add(-(part.stat().st_size if part.exists() else 0), check=False)
            raise
    got = part.stat().st_size
    if size is not None and got != size:
        raise WorkerError("network", f"{blob.name}: got {got} of {size} bytes", "run it again: the download resumes")
    os.replace(part, blob)


@contextlib.contextmanager
def _blob_lock(store: Path, etag: str, ctx):
    """One writer per partial file (two runs fetching the same base would interleave appends).
    The lock file is huggingface_hub's own for that blob; waiting for it stays cancellable."""
    from filelock import FileLock, Timeout

    path = Path(hub_cache()) / ".locks" / store.name / f"{etag}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    waited = False
    while True:
        try:
            lock.acquire(timeout=1)
            break
        except Timeout:
            if not waited:
                ctx.log(f"waiting for another download of {etag[:12]}… to finish")
                waited = True
            ctx.check_cancel()
    try:
        yield
    finally:
        lock.release()


def _hint_gated(repo: str) -> str:
    return f"accept the licence on https://huggingface.co/{repo} and set HF_TOKEN or `srlab hf-token set`"


def _typed(err: Exception, repo: str, revision: str) -> WorkerError:
    import httpx
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(err, (WorkerError,)):
        return err
    if isinstance(err, GatedRepoError):
        return WorkerError("gated", f"{repo} is gated: this account has no access to it ({_status(err)})", _hint_gated(repo))
    if isinstance(err, RevisionNotFoundError):
        return WorkerError("not-found", f"{repo} has no revision {revision}", "check the branch, tag or commit")
    if isinstance(err, RepositoryNotFoundError):
        if _status(err) in (401, 403):
            # The Hub answers 401 for private and gated repos without a token, as for missing ones.
            return WorkerError("gated", f"{repo} was not found or needs a token ({_status(err)})", f"check the id; if it exists, {_hint_gated(repo)}")
        return WorkerError("not-found", f"no model {repo} on the Hugging Face Hub", "check the id (owner/name)")
    if isinstance(err, HfHubHTTPError):
        status = _status(err)
        if status in (401, 403):
            return WorkerError("gated", f"{repo}: access denied ({status})", _hint_gated(repo))
        if status == 404:
            return WorkerError("not-found", f"{repo}: not found ({err})", "check the id and revision")
        return WorkerError("network", f"{repo}: the Hub answered {status}: {err}", "try again later")
    if isinstance(err, (OfflineModeIsEnabled, LocalEntryNotFoundError)):
        return WorkerError("network", f"{repo} is not fully in the local cache and HF_HUB_OFFLINE is set", "unset HF_HUB_OFFLINE, or download it once on a machine with network access")
    if isinstance(err, (httpx.ConnectError, httpx.TimeoutException, httpx.RemoteProtocolError, httpx.NetworkError, ConnectionError)):
        return WorkerError("network", f"cannot reach the Hugging Face Hub: {err}", "check the network (or HF_ENDPOINT / proxy settings); a partial download resumes on the next try")
    return WorkerError("internal", f"{type(err).__name__}: {err}", "the worker's stderr tail is kept with the job")


def _status(err) -> int | None:
    response = getattr(err, "response", None)
    return getattr(response, "status_code", None)


def main(params: dict, ctx) -> dict:
    repo = params.get("repo")
    if not isinstance(repo, str) or repo.count("/") != 1:
        raise WorkerError("bad-request", f"repo must be a Hugging Face id owner/name, not {repo!r}", "e.g. meta-llama/Llama-2-7b-chat-hf")
    revision = params.get("revision") or "main"
    token = params.get("token") or os.environ.get("HF_TOKEN") or None

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        hit = cached_snapshot(repo, revision)
        if hit is None:
            raise WorkerError("network", f"{repo}@{revision} is not fully in the local cache and HF_HUB_OFFLINE is set", "unset HF_HUB_OFFLINE to download it")
        ctx.log(f"{repo}: complete in the cache ({hit['revision'][:12]}), offline")
        ctx.progress(hit["bytes"], hit["bytes"], unit="bytes")
        return hit

    try:
        return _fetch(repo, revision, token, ctx)
    except Cancelled:
        raise
    except Exception as err:  # noqa: BLE001 - mapped to a typed error
        typed = _typed(err, repo, revision)
        if typed.code == "network":
            hit = cached_snapshot(repo, revision)
            if hit is not None:
                ctx.log(f"{repo}: the Hub is unreachable ({err}); using the complete cached snapshot {hit['revision'][:12]}", "warn")
                return hit
        raise typed from err


def _fetch(repo: str, revision: str, token: str | None, ctx) -> dict:
    from huggingface_hub import HfApi, hf_hub_download, hf_hub_url
    from huggingface_hub.file_download import get_hf_file_metadata

    info = HfApi().model_info(repo, revision=revision, files_metadata=True, token=token)
    sha = info.sha
    sizes = {s.rfilename: (s.lfs.size if s.lfs is not None else s.size) for s in (info.siblings or [])}
    files, fmt = select_files(list(sizes))
    if not any(f.endswith((".safetensors", ".bin")) for f in files):
        raise WorkerError("not-found", f"{repo}@{revision} has no safetensors or PyTorch .bin weights", "give a transformers causal LM repo")
    total = sum(int(sizes[f] or 0) for f in files)
    store = storage_folder(repo)
    snap = store / "snapshots" / sha
    missing = [f for f in files if not (snap / f).exists()]
    done = total - sum(int(sizes[f] or 0) for f in missing)
    ctx.log(f"{repo}@{revision} = {sha[:12]}: {len(files)} files ({fmt}), {total / 1e9:.2f} GB; {len(missing)} to download")
    progress = _Progress(ctx, total, done)
    ctx.progress(done, total, unit="bytes")
    for f in missing:
        ctx.check_cancel()
        meta = get_hf_file_metadata(hf_hub_url(repo, f, revision=sha), token=token)
        blob = store / "blobs" / meta.etag
        with _blob_lock(store, meta.etag, ctx):
            # Checked under the lock: another process may have finished this blob meanwhile.
            if not blob.exists():
                _download_blob(meta.location, blob, meta.size, token, progress, ctx)
            else:
                progress.add(int(sizes[f] or 0))
        # The blob is there: this only links snapshots/<sha>/<f> to it (and checks the etag again).
        hf_hub_download(repo, f, revision=sha, token=token, tqdm_class=progress.tqdm_class())
    if revision != sha:
        (store / "refs").mkdir(parents=True, exist_ok=True)
        ref = store / "refs" / revision
        ref.parent.mkdir(parents=True, exist_ok=True)
        tmp = ref.with_name(ref.name + ".srlab-tmp")
        tmp.write_text(sha)
        os.replace(tmp, ref)
    man = manifest_path(repo, sha)
    man.parent.mkdir(parents=True, exist_ok=True)
    man.write_text(json.dumps({"repo": repo, "revision": sha, "files": files, "bytes": total, "format": fmt}))
    progress.done = total
    progress.add(0, force=True)
    ctx.log(f"{repo}: {len(files)} files in {snap} ({progress.downloaded} bytes downloaded)")
    return {"path": str(snap), "revision": sha, "files": files, "bytes": total, "downloaded": progress.downloaded, "cached": not missing}
