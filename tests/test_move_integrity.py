"""A move's (and an unpublish's) redirects survive another writer adding a redirect at
one of its old URLs meanwhile (found: the other writer's row made the move's INSERT or
COPY fail on the unique (site, path) once it committed, and the whole section was left
without redirects). Real processes against PostgreSQL or MariaDB: the other writer holds
its uncommitted redirect while this process moves the section."""

from __future__ import annotations

import subprocess

import pytest
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.processes import shared_database, start_django
from wagtail_redirect_tools.autoredirects import ACTION_CREATED

pytestmark = [pytest.mark.slow, shared_database, pytest.mark.django_db(transaction=True)]

# Adds a manual redirect at the section's old URL of "b" and holds it uncommitted.
OTHER_WRITER = """
import time
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

with transaction.atomic():
    site = Site.objects.get(hostname="localhost")
    Redirect.objects.create(old_path="/section/b", site=site, redirect_link="/manual/")
    print("written", flush=True)
    time.sleep(3)
"""


def start_other_writer() -> subprocess.Popen[str]:
    """The other writer, once its redirect is written (and not committed)."""
    other = start_django("shell", "-c", OTHER_WRITER)
    assert other.stdout is not None
    for line in other.stdout:  # after what the shell itself prints
        if line.strip() == "written":
            return other
    raise AssertionError(other.communicate(timeout=60))


def test_a_redirect_added_during_a_move_is_kept_and_the_others_written() -> None:
    site, home = fresh_site_tree("localhost")  # committed: the other process sees it
    section = add_page(home, "section")
    pages = {slug: add_page(section, slug) for slug in ("a", "b", "c")}
    elsewhere = add_page(home, "elsewhere")

    other = start_other_writer()
    section.move(elsewhere, pos="last-child")  # waits for the other writer to commit
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0, (out, err)

    manual = Redirect.objects.get(site=site, old_path="/section/b")
    assert (manual.redirect_link, manual.automatically_created) == ("/manual/", False)
    written = dict(
        Redirect.objects.filter(site=site, automatically_created=True).values_list(
            "old_path", "redirect_page_id"
        )
    )
    assert written == {
        "/section": section.pk,
        "/section/a": pages["a"].pk,
        "/section/c": pages["c"].pk,
    }
    assert Page.objects.get(pk=section.pk).url_path == "/home-localhost/elsewhere/section/"


@override_settings(WAGTAIL_REDIRECT_TOOLS_REDIRECT_ON_DELETE=True)
def test_an_unpublish_that_meets_a_redirect_added_meanwhile_keeps_it_and_says_so() -> None:
    site, home = fresh_site_tree("localhost")
    section = add_page(home, "section")
    page = add_page(section, "b")

    other = start_other_writer()
    page.unpublish()  # its URL is redirected to its parent; waits for the other writer
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0, (out, err)

    manual = Redirect.objects.get(site=site, old_path="/section/b")
    assert (manual.redirect_link, manual.automatically_created) == ("/manual/", False)
    # The unpublish's redirects were written (none: its one URL was taken), and logged.
    entry = PageLogEntry.objects.get(page=section, action=ACTION_CREATED)
    assert "/section/b (site" in entry.data["conflicts"][0]
