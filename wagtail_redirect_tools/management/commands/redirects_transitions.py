"""``manage.py redirects_transitions``: bookkeeping of scheduled redirects; safe from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wagtail_redirect_tools.importing.service import forget_old_imports
from wagtail_redirect_tools.scheduling import run_transitions


class Command(BaseCommand):
    help = (
        "Record the starts and ends of scheduled redirects that are due (audit log, "
        "front-end cache purge), e-mail expiry notices, and delete windows that expired "
        "longer ago than WAGTAIL_REDIRECT_TOOLS_KEEP_EXPIRED_DAYS and imports finished longer "
        "ago than WAGTAIL_REDIRECT_TOOLS_IMPORT_RETENTION_DAYS (uploads never imported: "
        "after a week). Idempotent: running it "
        "again does nothing until the next start or end. Redirects start and end on time "
        "without it; it only does the bookkeeping."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_transitions()
        forgotten = forget_old_imports()
        self.stdout.write(
            f"Started: {report.started}. Ended: {report.ended}. "
            f"Expiry notices sent: {report.notices_sent}. "
            f"Expired windows deleted: {report.deleted}. "
            f"Finished imports deleted: {forgotten.imports}. "
            f"Uploads never imported deleted: {forgotten.uploads}."
        )
