"""``redirects_import FILE``: preview (``--dry-run``) or import a redirects file.

Prints the same counts, row errors and warnings as the admin preview; exits with status 1
when any row has an error (with ``--valid-only`` the valid rows are still imported).
The file is read and planned by the import service's rules, in memory
(:mod:`~wagtail_redirect_tools.importing.direct`): a run stores no file, and a dry
run writes nothing at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from wagtail.models import Site

from ...importing import direct
from ...importing.columns import ColumnMapping, accepted_meanings
from ...importing.errors import ImportFileError
from ...importing.matching import describe
from ...importing.planning import Action, ImportOptions, ImportPlan, OnExisting
from ...importing.reading import FORMAT_CHOICES, read_bounded
from ...importing.service import ImportBlocked
from ...importing.widgets import SiteWidget, StatusWidget
from ..progress import TerminalProgress

PHASE_LABELS = {"preview": "Checking", "check": "Checking", "import": "Importing"}


class Command(BaseCommand):
    help = (
        "Import redirects from a CSV, TSV, XLSX or JSON file, Netlify's _redirects or Apache's "
        "Redirect lines (the documentation lists the columns)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--format", default="auto", choices=[value for value, _label in FORMAT_CHOICES]
        )
        parser.add_argument("--encoding", default="auto", help="e.g. utf-8, utf-16, cp1252")
        parser.add_argument("--dry-run", action="store_true", help="Preview only; write nothing.")
        parser.add_argument("--site", help="hostname[:port] for rows without a site")
        parser.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows, skip the others."
        )
        parser.add_argument(
            "--on-existing",
            default=OnExisting.UPDATE,
            choices=OnExisting.values,
            help="A row whose source already has a redirect: update it, skip it, or error.",
        )
        parser.add_argument(
            "--type",
            default="301",
            help="Type for rows without one: 301 (default), 302, "
            "307, 308, 410, permanent, temporary or gone.",
        )
        parser.add_argument("--user", help="Username recorded as the importer.")
        parser.add_argument(
            "--columns",
            help="What each column holds, in the file's order, when the header does not say "
            f"it: e.g. from,to,type,ignore (names: {accepted_meanings()}).",
        )
        parser.add_argument(
            "--no-header",
            action="store_true",
            help="The first row is a redirect, not a header (give --columns).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            content = read_bounded(path)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        user = self._user(options["user"])
        mapping = self._mapping(options["columns"], has_header=not options["no_header"])
        import_options = ImportOptions(
            site_id=self._site_id(options["site"]),
            default_type=self._type(options["type"]),
            on_existing=options["on_existing"],
            valid_only=options["valid_only"],
            file_format=options["format"],
            encoding=options["encoding"],
            columns=mapping.meanings if mapping is not None else None,
            has_header=mapping.has_header if mapping is not None else True,
        )
        try:
            file = direct.read(content, path, import_options)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if file.awaits_columns:
            self._refuse_unmatched(file)
        self._print_columns(file.options)
        if options["dry_run"]:
            self._preview(file, user)
        else:
            self._import(file, user)

    def _mapping(self, columns: str | None, *, has_header: bool) -> ColumnMapping | None:
        if columns is None:
            if not has_header:
                raise CommandError("--no-header needs --columns: say what each column holds.")
            return None
        try:
            return ColumnMapping.parse(columns, has_header=has_header)
        except ImportFileError as error:
            raise CommandError(str(error)) from error

    def _refuse_unmatched(self, file: direct.FileRead) -> None:
        """The file's columns need to be said: why, and the options that say what the
        values suggest."""
        proposal = file.column_proposal()
        if proposal is None:  # not expected: only files with columns wait for them
            raise CommandError("The file's columns could not be read.")
        messages = " ".join(proposal.messages())
        raise CommandError(
            f"{messages}\nSay what each column holds with --columns (and --no-header if the "
            f"first row is not a header). Guessed from the values: {proposal.command_options()}"
        )

    def _print_columns(self, options: ImportOptions) -> None:
        for item in describe(options):
            self.stdout.write(f"{item['column']} → {item['name']}")

    def _preview(self, file: direct.FileRead, user: Any) -> None:
        with TerminalProgress(self.stderr, PHASE_LABELS) as progress:
            plan = direct.preview(file, user=user, progress=progress)
        self._print_plan(plan)
        self.stdout.write("Dry run: nothing was written.")
        self._fail_on_row_errors(plan)

    def _import(self, file: direct.FileRead, user: Any) -> None:
        try:
            with TerminalProgress(self.stderr, PHASE_LABELS) as progress:
                record, outcome = direct.run(file, user=user, progress=progress)
        except ImportBlocked as blocked:
            self._print_plan(blocked.plan)
            raise CommandError(
                f"{blocked} Fix the rows, or use --valid-only.", returncode=1
            ) from None
        except Exception as error:
            raise CommandError(
                f"The import failed and nothing was written: {error}", returncode=1
            ) from error
        self._print_plan(outcome.plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {outcome.created} created, {outcome.updated} updated "
                f"(import #{record.pk})."
            )
        )
        self._fail_on_row_errors(outcome.plan)

    def _fail_on_row_errors(self, plan: ImportPlan) -> None:
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} rows have errors.", returncode=1)

    def _print_plan(self, plan: ImportPlan) -> None:
        counts = plan.counts
        self.stdout.write(
            ", ".join(f"{counts[action]} {label.lower()}" for action, label in Action.choices)
        )
        if plan.ignored_columns:
            self.stdout.write(f"Ignored columns: {', '.join(plan.ignored_columns)}")
        for row in plan.errors:
            self.stdout.write(f"Row {row.number}: {' '.join(row.errors)}")
        for row in plan.warned:
            self.stdout.write(f"Row {row.number} (warning): {' '.join(row.warnings)}")

    def _type(self, value: str) -> int:
        try:
            code = StatusWidget().clean(value)
        except ValueError as error:
            raise CommandError(str(error)) from error
        return code or 301

    def _site_id(self, hostname: str | None) -> int | None:
        if not hostname:
            return None
        try:
            site = SiteWidget(list(Site.objects.all())).clean(hostname)
        except ValueError as error:
            raise CommandError(str(error)) from error
        return site.pk if site else None

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        model = get_user_model()
        try:
            return model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist as error:
            raise CommandError(f"No user '{username}'.") from error
