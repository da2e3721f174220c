"""``manage.py redirects_doctor``: list what the database should not hold, and repair it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail_redirect_tools.database import doctor


class Command(BaseCommand):
    help = (
        "List redirects that share a site and path (requests get the newest) and scheduled "
        "redirects of one source whose windows overlap. With --fix, delete every duplicate "
        "redirect but the newest. Overlapping windows are only listed: choose which to "
        "shorten or delete in the Scheduled redirects screen. On MySQL and MariaDB it also "
        "checks that path columns tell /About from /about, and --fix makes them. Exits with "
        "1 when it finds "
        "something it did not repair."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Delete the older redirects of each duplicated site and path; make path "
            "columns case-sensitive again (MySQL, MariaDB).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        duplicates = doctor.duplicate_redirects()
        for group in duplicates:
            where = f"site {group.site_id}" if group.site_id is not None else "all sites"
            self.stdout.write(
                f"{group.old_path} ({where}): {len(group.pks)} redirects, ids "
                f"{', '.join(map(str, group.pks))}; requests get #{group.kept}, the newest."
            )
        overlaps = doctor.overlapping_windows()
        for pair in overlaps:
            self.stdout.write(
                f"Scheduled redirects #{pair.first.pk} and #{pair.second.pk} of "
                f"{pair.first.source_label} overlap."
            )
        insensitive = doctor.case_insensitive_paths()
        for column in insensitive:
            self.stdout.write(
                f"The column {column} ignores case and accents: /About would answer for /about."
            )
        if options["fix"] and insensitive:
            changed = doctor.make_paths_case_sensitive()
            self.stdout.write(self.style.SUCCESS(f"Made {changed} path columns case-sensitive."))
            insensitive = []
        if options["fix"] and duplicates:
            removed = doctor.remove_duplicate_redirects(duplicates)
            self.stdout.write(self.style.SUCCESS(f"Deleted {removed} duplicate redirects."))
            duplicates = []
        if not duplicates and not overlaps and not insensitive:
            self.stdout.write(self.style.SUCCESS("No duplicate redirects or overlapping windows."))
            return
        hint = " Run with --fix to repair them." if duplicates or insensitive else ""
        raise CommandError(
            f"{len(duplicates)} duplicated paths, {len(overlaps)} overlapping windows, "
            f"{len(insensitive)} case-insensitive path columns.{hint}",
            returncode=1,
        )
