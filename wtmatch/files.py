"""Writing files so that a failed write never destroys what was there.

Every file wtmatch writes goes through :func:`atomic_path`: the content is
written to a temporary file in the same folder, flushed to disk, and only
then renamed over the target (an atomic step on one file system). Out of
space, killed mid-write or a writer that raises: the previous file is intact
and the temporary one is removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed over it when the block succeeds.

    Examples
    --------
    >>> with atomic_path("plan.xlsx") as tmp:       # doctest: +SKIP
    ...     workbook.save(tmp)
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        if target.exists():
            # keep the target's permissions, not mkstemp's private 0600
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(target: str | Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
