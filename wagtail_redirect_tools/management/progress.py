"""A progress bar for commands, drawn only on a terminal."""

from __future__ import annotations

from types import TracebackType
from typing import Any

BAR_WIDTH = 30


class TerminalProgress:
    """Callable ``(done, total)`` that redraws one line on a TTY and is silent elsewhere."""

    def __init__(self, stream: Any, label: str) -> None:
        self.stream, self.label = stream, label
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {100 * done // total:3d}% {done:,}/{total:,} rows", ending=""
        )
        self.stream.flush()
        self._drawn = True

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._drawn:
            self.stream.write("")
