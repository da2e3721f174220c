"""Signal receivers. They only connect model changes to capabilities and jobs."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import ScheduledRedirect
from .resolution.window_index import windows_changed


def queue_window_transitions(sender: Any, instance: ScheduledRedirect, **kwargs: Any) -> None:
    from .tasks import enqueue_transition_jobs

    transaction.on_commit(lambda: enqueue_transition_jobs(instance))


def note_windows_changed(sender: Any, **kwargs: Any) -> None:
    windows_changed()


def register_signal_handlers() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            note_windows_changed,
            sender=ScheduledRedirect,
            dispatch_uid=f"wagtail_redirect_tools_windows_changed_{id(signal)}",
        )
    post_save.connect(
        queue_window_transitions,
        sender=ScheduledRedirect,
        dispatch_uid="wagtail_redirect_tools_queue_window_transitions",
    )
