"""What a command printed, kept under a digest of everything it read, so a re-run on
unchanged input answers without parsing again (as ruff and mypy keep theirs).

Usage::

    from archkit.result_cache import ResultCache
    cache = ResultCache.open("schema-check")           # None when caching is off
    key = cache.key(["--dialect", "postgres"], {"schema.sql": raw_bytes})
    hit = cache.get(key)                               # a Result, or None
    cache.put(key, Result(code=0, stdout="...", stderr=""))

The digest covers the command and its options, each input's name and bytes, the code
that computes the answer (every archkit module's size and modification time, sqlglot's
files, the Python version) and the environment variables that reach archkit's output,
so an edit to any of them is a miss, never a stale answer. Where the cache lives:
``ARCHKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/archkit``, else ``~/.cache/archkit``;
``ARCHKIT_NO_CACHE=1`` switches it off. A cache that cannot be read or written is
skipped without a word: it only ever saves time, it never changes an answer.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Result", "ResultCache", "cache_root", "MAX_AGE_DAYS"]

MAX_AGE_DAYS = 30  # an entry not read for this long is removed on a later write
_PRUNE_EVERY_S = 24 * 3600
_FORMAT = b"archkit-result-1\n"


@dataclass(frozen=True, slots=True)
class Result:
    """One finished run: its exit code and the text it wrote to each stream."""

    code: int
    stdout: str
    stderr: str = ""


def cache_root() -> Path | None:
    """The cache folder, or None when ``ARCHKIT_NO_CACHE`` is set (to anything but 0/empty)."""
    if os.environ.get("ARCHKIT_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("ARCHKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archkit"


class ResultCache:
    """The results of one command, one file per digest under ``<root>/<command>/``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls, command: str) -> ResultCache | None:
        """The cache of ``command`` (e.g. ``"schema-check"``), or None when caching is off."""
        root = cache_root()
        return None if root is None else cls(root / command)

    def key(self, options: Sequence[str], inputs: Mapping[str, bytes]) -> str:
        """The digest of ``options`` (as the command saw them) and each input's name and bytes,
        salted with the code and environment that shape the answer."""
        digest = _hasher()(_code_fingerprint())
        for option in options:
            digest.update(b"\0o" + option.encode("utf-8", "surrogateescape"))
        for name, data in sorted(inputs.items()):
            digest.update(b"\0n" + name.encode("utf-8", "surrogateescape"))
            digest.update(b"\0b%d\0" % len(data) + data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> Result | None:
        """The stored result for ``key``, or None (never stored, unreadable or damaged)."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
            os.utime(path)  # read recently: keep it past the next prune
        except OSError:
            return None
        return _decode(raw)

    def put(self, key: str, result: Result) -> None:
        """Store ``result`` atomically (a reader sees the old file or the new, never half);
        any failure (read-only home, full disk) leaves the run's own answer untouched."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(_encode(result))
            os.replace(tmp, path)
            self._prune_now_and_then()
        except OSError:
            return

    def _prune_now_and_then(self) -> None:
        """Once a day at most, remove entries not read for ``MAX_AGE_DAYS``."""
        stamp = self.folder / ".pruned"
        now = time.time()
        try:
            if now - stamp.stat().st_mtime < _PRUNE_EVERY_S:
                return
        except FileNotFoundError:
            pass
        stamp.touch()
        cutoff = now - MAX_AGE_DAYS * 24 * 3600
        for entry in self.folder.glob("??/*"):
            try:
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()
            except OSError:
                continue


def _encode(result: Result) -> bytes:
    out = result.stdout.encode("utf-8", "surrogateescape")
    err = result.stderr.encode("utf-8", "surrogateescape")
    return _FORMAT + b"%d %d %d\n" % (result.code, len(out), len(err)) + out + err


def _decode(raw: bytes) -> Result | None:
    if not raw.startswith(_FORMAT):
        return None
    head, sep, body = raw[len(_FORMAT):].partition(b"\n")
    try:
        code, n_out, n_err = (int(part) for part in head.split(b" "))
    except ValueError:
        return None
    if not sep or n_out < 0 or n_err < 0 or len(body) != n_out + n_err:
        return None  # cut short or grown: a damaged entry is a miss
    return Result(code, body[:n_out].decode("utf-8", "surrogateescape"),
                  body[n_out:].decode("utf-8", "surrogateescape"))


_FINGERPRINT: bytes | None = None
# Environment variables that can change what archkit prints or how it computes it.
_ENV_PREFIXES = ("ARCHKIT_", "SQLGLOT")
_ENV_NAMES = ("PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LC_ALL", "LC_CTYPE")
_ENV_OF_THE_CACHE = ("ARCHKIT_CACHE_DIR", "ARCHKIT_NO_CACHE")  # where, not what, it answers


def _code_fingerprint() -> bytes:
    """Size and mtime of every archkit and sqlglot source file, the Python version and the
    relevant environment: an upgrade or an edit of any of them changes every key."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        parts = [sys.version, sys.executable]
        for package in (Path(__file__).resolve().parent, _sqlglot_folder()):
            if package is not None:
                parts.extend(_tree_stats(package))
        parts.extend(f"{k}={v}" for k, v in sorted(os.environ.items())
                     if (k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES)
                     and k not in _ENV_OF_THE_CACHE)
        _FINGERPRINT = "\n".join(parts).encode("utf-8", "surrogateescape")
    return _FINGERPRINT


def _hasher():
    """BLAKE2b from CPython's built-in module (~0.2 ms to load), where ``hashlib`` also
    loads OpenSSL (~2.5 ms of a ~180 ms check) for the same digest."""
    try:
        from _blake2 import blake2b
    except ImportError:  # another Python: the public face, same digest
        from hashlib import blake2b
    return blake2b


def _sqlglot_folder() -> Path | None:
    """sqlglot's package folder, found without importing it (that is the cost saved)."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("sqlglot")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _tree_stats(folder: Path) -> list[str]:
    """``path size mtime`` of each module file under ``folder`` (sources and compiled)."""
    stats: list[str] = []
    pending = [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                elif entry.name.endswith((".py", ".so", ".pyd")):
                    info = entry.stat()
                    stats.append(f"{entry.path} {info.st_size} {info.st_mtime_ns}")
    stats.sort()
    return stats
