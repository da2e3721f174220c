"""Python's cycle collector paused while an import builds or writes its rows.

A large file makes millions of objects that live until the step ends (each row's cells,
its planned row, their strings). The collector counts them as they are made and scans them
again as they age: a million-row preview ran it 7,817 times, 9 of them full scans of every
row, to free nothing, since an import's rows hold no cycles. Paused for the step, it runs
as usual once the step ends (or fails). The pause is the process's: another thread's
garbage cycles wait for the step's end too.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside; the collector as it was afterwards. Nested steps
    leave it to the outermost one."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
