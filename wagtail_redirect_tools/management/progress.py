"""A progress bar for commands, drawn only on a terminal."""

from __future__ import annotations

from types import TracebackType
from typing import Any

BAR_WIDTH = 30


class TerminalProgress:
    """Callable ``(phase, done, total)`` that redraws one line per phase on a TTY and is
    silent elsewhere. ``labels`` names each phase (e.g. ``{"import": "Importing"}``)."""

    def __init__(self, stream: Any, labels: dict[str, str]) -> None:
        self.stream, self.labels = stream, labels
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._phase: str | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        if phase != self._phase:
            self._end_line()
            self._phase = phase
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        label = self.labels.get(phase, phase)
        self.stream.write(
            f"\r{label} [{bar}] {100 * done // total:3d}% {done:,}/{total:,} rows", ending=""
        )
        self.stream.flush()

    def _end_line(self) -> None:
        if self._phase is not None:
            self.stream.write("")

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._end_line()
        self._phase = None
