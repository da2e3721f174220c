"""Python's cycle collector paused while an import builds or writes its rows.

A large file makes millions of objects that live until the step ends (each row's cells,
its planned row, their strings). The collector counts them as they are made and scans them
again and again as they age: 37 of the 63 CPU seconds of a million-row preview went to it,
and it found nothing to free, since an import's rows hold no cycles. Paused for the step,
it runs as usual once the step ends (or fails).
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
