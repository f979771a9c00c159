"""Writing files without losing anyone's work: atomic replacement, copies that never overwrite."""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Writes a file so that it is either the old one or the new one, never half of each: a
    temporary file in the same folder, synced to disk, then renamed over it. The file keeps its
    permissions; a new one gets the usual ones (0666 less the umask). Bytes that were not UTF-8
    when read (surrogate escapes) are written back as they were."""
    # A dot name: the generator's --check and the checker's copies leave dotfiles alone, should
    # one be left behind by a crash.
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8", "surrogateescape"))
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def keep_copy(source: Path, folder: Path, label: str) -> Path:
    """Copies `source` into `folder` under a name no earlier copy has (the time, then a counter),
    and returns it. A copy is never overwritten, however quickly two are made."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        suffix = f"-{attempt + 1}" if attempt else ""
        target = folder / f"{source.name}.{label}.{stamp}{suffix}.bak"
        try:
            # O_EXCL: fails if the name exists, even if another process made it a moment ago.
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(handle, "wb") as out, open(source, "rb") as original:
            shutil.copyfileobj(original, out)
            out.flush()
            os.fsync(out.fileno())
        return target
    raise OSError(f"cannot find a free name for a copy of {source} in {folder}")


def sync_tree(source: Path, destination: Path) -> None:
    """Makes destination a copy of source, rewriting only files that differ (keeps builds
    incremental). Files and folders whose name starts with a dot are left out."""
    destination.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        wanted.add(relative)
        target = destination / relative
        if not target.exists() or target.read_bytes() != path.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for path in sorted(destination.rglob("*"), reverse=True):
        relative = path.relative_to(destination)
        if path.is_file() and relative not in wanted:
            path.unlink()
