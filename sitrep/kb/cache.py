"""The knowledge base's derived tables, kept between processes as plain data (JSON), never as pickle.

A cache lives in a folder the user (and maybe others) can write (``$SITREP_CACHE``, ``~/.cache/sitrep``):
a pickle planted there would run code when loaded. JSON can only give wrong data, so a cache file is
also refused unless it is owned by the user running sitrep and writable by nobody else, and unless it
names the key (versions of the data it was built from) it is loaded for. Loading is about 1.5 times the
time of unpickling the same tables, still several times faster than building them.
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable, NamedTuple


class CacheRefused(ValueError):
    """A cache file that is not to be trusted or not of this version: rebuild."""


def _encode(value: Any, record_type: type) -> Any:
    if isinstance(value, (set, frozenset)):
        try:
            items = sorted(value)
        except TypeError:
            items = sorted(value, key=repr)
        return {"$set": items}
    if isinstance(value, dict):
        return {k: _encode(v, record_type) for k, v in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], record_type):
        return {"$records": [list(v) for v in value]}
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return {"$tuples": [list(v) for v in value]}
    if isinstance(value, tuple):
        return list(value)
    return value


def _decode(value: Any, record_type: Callable) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, items), = value.items()
            if tag == "$set":
                return set(items)
            if tag == "$records":
                return [record_type(*v) for v in items]
            if tag == "$tuples":
                return [tuple(v) for v in items]
        return {k: _decode(v, record_type) for k, v in value.items()}
    return value


def save_state(path: Path, key: str, state: dict[str, Any], record_type: type[NamedTuple]) -> None:
    """Write ``state`` (attribute -> sets, dicts, lists of ``record_type`` rows or tuples, scalars) as JSON,
    atomically (parallel processes never read a half-written file), readable by the user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"key": key, "state": {k: _encode(v, record_type) for k, v in state.items()}}, f,
                      ensure_ascii=False, separators=(",", ":"))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_state(path: Path, key: str, record_type: Callable) -> dict[str, Any]:
    """The state saved for ``key``; ``CacheRefused`` when the file is another user's, writable by others,
    not JSON of this layout, or made for another key."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise CacheRefused(f"owned by another user (uid {st.st_uid})")
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise CacheRefused("writable by other users")
        try:
            data = json.loads(f.read())
        except (ValueError, RecursionError) as exc:
            raise CacheRefused(f"not a cache file ({exc})") from None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("state"), dict):
        raise CacheRefused("made for other data or another version")
    try:
        return {k: _decode(v, record_type) for k, v in data["state"].items()}
    except (TypeError, ValueError, RecursionError) as exc:
        raise CacheRefused(f"damaged ({exc})") from None
