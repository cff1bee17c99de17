"""Pack a parsed screening into bytes and back (numpy's compressed .npz), without pickles."""

from __future__ import annotations

import io

import numpy as np

from .spec import ParsedScreening

_ARRAYS = ("code_hashes", "ages", "grades", "school_types", "signals", "support")


def pack(parsed: ParsedScreening) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{name: getattr(parsed, name) for name in _ARRAYS})
    return buffer.getvalue()


def unpack(
    data: bytes | memoryview, *, signal_ids: list[int], support_names: list[str]
) -> ParsedScreening:
    # allow_pickle=False: the stored bytes can never execute code when loaded.
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as arrays:
        return ParsedScreening(
            **{name: arrays[name] for name in _ARRAYS},
            signal_ids=list(signal_ids),
            support_names=list(support_names),
        )
