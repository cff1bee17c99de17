"""Files that hold pupil or persona data, kept outside the web root."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path, content: bytes, *, exclusive: bool = False) -> None:
    """Write `content` readable by this process only, from the first byte on (file 0600 in a
    0700 folder). `exclusive`: refuse to overwrite an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
