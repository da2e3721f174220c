import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection
from wagtail.models import Site

from demo.demo_data import COUNCIL_HOST, SHOP_HOST, demo_exists

ADMIN_USERNAME = "admin"


SAMPLE_IMPORT = Path(__file__).resolve().parents[2] / "files" / "sample-import.csv"


class Command(BaseCommand):
    # Django's checks connect to the database (MySQL's field checks ask for the server's
    # version), so they run once the database exists (see handle).
    requires_system_checks: list[str] = []
    help = (
        "Start the sandbox: create the database if needed, migrate, build the demo "
        "content on first run, make sure the admin user exists and run the server."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "port", nargs="?", type=int, default=8000, help="Port to serve on (8000)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Rebuild the demo content from scratch."
        )
        parser.add_argument(
            "--no-serve",
            action="store_false",
            dest="serve",
            help="Prepare everything and print the login, but do not start the server.",
        )

    def handle(self, *args: Any, port: int, reset: bool, serve: bool, **options: Any) -> None:
        self._ensure_database()
        self.check()
        call_command("migrate", interactive=False, verbosity=0)
        if reset or not demo_exists():
            self.stdout.write("Building the demo content…")
            call_command("build_demo_data", port=port, interactive=False, stdout=self.stdout)
        else:
            Site.objects.filter(hostname__in=[COUNCIL_HOST, SHOP_HOST]).update(port=port)
        password = self._ensure_admin()
        self.stdout.write(
            self.style.SUCCESS(
                "\nwagtail-redirect-tools sandbox\n"
                f"  Admin:        http://localhost:{port}/admin/\n"
                f"  Login:        {ADMIN_USERNAME} / {password}\n"
                f"  Redirects:    http://localhost:{port}/admin/redirect-tools/redirects/\n"
                f"  Scheduled:    http://localhost:{port}/admin/scheduled-redirects/\n"
                f"  Import:       http://localhost:{port}/admin/redirect-tools/imports/ "
                f"(try {SAMPLE_IMPORT})\n"
                f"  Council site: http://{COUNCIL_HOST}:{port}/\n"
                f"  In Welsh:     http://{COUNCIL_HOST}:{port}/cy/\n"
                f"  Shop site:    http://{SHOP_HOST}:{port}/\n"
                f"  Try a redirect: http://{COUNCIL_HOST}:{port}/über-uns\n"
                f"  A page redirected until a date: "
                f"http://{COUNCIL_HOST}:{port}/services/bins-and-recycling/\n"
            )
        )
        if serve:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def _ensure_database(self) -> None:
        """Create the PostgreSQL or MariaDB database on first run (SQLite creates its file
        itself)."""
        if connection.vendor not in ("postgresql", "mysql"):
            return
        try:
            connection.ensure_connection()
        except OperationalError:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            extra = ""
            if connection.vendor == "mysql":
                extra = " CHARACTER SET utf8mb4"
                collation = getattr(settings, "SANDBOX_MYSQL_COLLATION", "")
                if collation:
                    if not collation.replace("_", "").isalnum():
                        raise CommandError(
                            f"WRT_MYSQL_COLLATION: not a collation: {collation!r}"
                        ) from None
                    extra += f" COLLATE {collation}"
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {name}{extra}")
            self.stdout.write(f"Created the database {name}.")

    def _ensure_admin(self) -> str:
        password = os.environ.get("WRT_SANDBOX_ADMIN_PASSWORD", "changeme")
        user, created = get_user_model().objects.get_or_create(
            username=ADMIN_USERNAME,
            defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        return password
