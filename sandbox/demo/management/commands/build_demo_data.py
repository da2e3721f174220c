from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.demo_data import build_demo, demo_exists


class Command(BaseCommand):
    help = "Replace the sandbox's sites, pages and redirects with the demo content."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--port", type=int, default=8000, help="Port the demo sites are served on."
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask before replacing existing demo content.",
        )

    def handle(self, *args: Any, port: int, interactive: bool, **options: Any) -> None:
        if interactive and demo_exists():
            answer = input("This deletes every site, page and redirect. Continue? [y/N] ")
            if answer.strip().lower() != "y":
                raise CommandError("Nothing changed.")
        summary = build_demo(port=port)
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {summary.sites} sites, {summary.pages} pages and {summary.redirects} "
                f"redirects ({summary.automatic_redirects} of them created automatically "
                f"by page moves and slug changes), and {summary.scheduled_redirects} "
                "scheduled redirects (one active, two upcoming, one expired)."
            )
        )
