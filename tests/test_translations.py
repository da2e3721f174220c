"""The package's translations (issue 31): the French catalogue is complete and compiled,
it holds every string the code marks, and every admin screen of the package, rendered for
an editor whose Wagtail profile says French, shows none of our strings in English."""

from __future__ import annotations

import datetime
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.users.models import UserProfile

from tests import test_admin_permissions as permissions
from tests.utils.catalogues import (
    LOCALE,
    PLACEHOLDER,
    catalogue,
    read_po,
    untranslated,
    visible_text,
)
from tests.utils.pages import add_page
from wagtail_redirect_tools import schedule_redirect

# The languages the package ships, complete.
SHIPPED = ("fr",)
PACKAGE = LOCALE.parent


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    problems = []
    for message in catalogue(language):
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {message.msgid!r}")
        expected = 2 if message.msgid_plural is not None else 1
        if len(message.msgstr) < expected or not all(s.strip() for s in message.msgstr.values()):
            problems.append(f"empty: {message.msgid!r}")
        english = set(PLACEHOLDER.findall(message.msgid + (message.msgid_plural or "")))
        for text in message.msgstr.values():
            if message.msgid_plural is None and set(PLACEHOLDER.findall(text)) != english:
                problems.append(f"placeholders differ: {message.msgid!r} -> {text!r}")
    assert problems == []


@pytest.mark.parametrize("language", SHIPPED)
def test_the_committed_mo_file_is_the_compiled_po_file(language: str) -> None:
    """pip installs the package without gettext: the .mo is committed, and must say what
    the .po says."""
    directory = LOCALE / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    messages = catalogue(language)
    for message in messages:
        if message.msgid_plural is None:
            assert compiled.gettext(message.msgid) == message.msgstr[0], message.msgid
        else:
            for n, index in ((1, 0), (2, 1)):
                assert (
                    compiled.ngettext(message.msgid, message.msgid_plural, n)
                    == message.msgstr[index]
                ), message.msgid
    # The .mo holds no message the .po has dropped (its header is one entry more).
    keys = {key if isinstance(key, str) else key[0] for key in compiled._catalog}  # type: ignore[attr-defined]
    assert keys - {""} == {m.msgid for m in messages}


@pytest.mark.slow
@pytest.mark.parametrize("language", SHIPPED)
def test_the_catalogue_holds_every_string_the_code_marks(language: str, tmp_path: Path) -> None:
    """``makemessages`` on a copy of the package finds no msgid the catalogue lacks, and
    the catalogue keeps none the code no longer has."""
    if shutil.which("xgettext") is None:
        if os.environ.get("WRT_REQUIRE_GETTEXT"):
            pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / PACKAGE.name
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", language, "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
    )
    path = Path("locale") / language / "LC_MESSAGES" / "django.po"
    fresh = {m.key for m in read_po(copy / path) if m.msgid}
    committed = {m.key for m in read_po(PACKAGE / path) if m.msgid and not m.obsolete}
    assert sorted(fresh - committed, key=str) == [], "marked in the code, missing from the .po"
    assert sorted(committed - fresh, key=str) == [], "in the .po, no longer in the code"


def untranslated_template_text(source: str) -> list[str]:
    """The text of a template a person reads that no translation tag holds: what is left
    once tags, variables, comments, translated blocks, scripts, styles and HTML tags are
    taken out, where it has a word in it; and attributes a person reads (a title, a label,
    a placeholder) written as plain text."""
    attributes = re.findall(
        r"\b(?:title|placeholder|aria-label|alt)=\"((?:(?!{[{%])[^\"])*[A-Za-z]{2,}(?:(?!{[{%])[^\"])*)\"",
        source,
    )
    for pattern in (
        r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
        r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}",
        r"{#.*?#}",
        r"{%.*?%}",
        r"{{.*?}}",
        r"<(script|style)\b.*?</\1>",
        r"<[^>]*>",
    ):
        source = re.sub(pattern, "\n", source, flags=re.DOTALL)
    text = [line.strip() for line in source.splitlines() if re.search(r"[A-Za-z]{2,}", line)]
    return attributes + text


def test_no_template_of_the_package_has_text_outside_a_translation_tag() -> None:
    found = {}
    for template in sorted((PACKAGE / "templates").rglob("*.*")):
        text = untranslated_template_text(template.read_text(encoding="utf-8"))
        if text:
            found[str(template.relative_to(PACKAGE))] = text
    assert found == {}


def test_the_template_check_finds_text_outside_a_tag() -> None:
    template = (
        '{% load i18n %}<p title="{% trans "Fine" %}" aria-label="Not this">'
        '{% trans "Fine" %} Not fine {{ value }}</p>'
    )
    assert untranslated_template_text(template) == ["Not this", "Not fine"]


CSV = b"from,to,type\n/old-shop/,/shop/,301\n/old-news/,/news/,302\n/broken,not a path,301\n"
HEADERLESS = b"/old-shop/,/shop/\n/old-news/,/news/\n"


class TestEveryScreenInFrench(TestCase):
    """Every screen of the package (the URL table of test_admin_permissions, plus the
    screens reached by a POST or through Wagtail's own views) for a French editor."""

    language = "fr"

    @classmethod
    def setUpTestData(cls) -> None:
        permissions.TestEveryAdminUrl.setUpTestData.__func__(cls)  # type: ignore[attr-defined]
        cls.admin = cls.users["superuser"]
        UserProfile.objects.update_or_create(
            user=cls.admin, defaults={"preferred_language": cls.language}
        )
        # The dashboard's and side panels' rows: a window starting soon, a busy redirect
        # to a page, a scheduled redirect of the page.
        cls.destination = add_page(cls.home, "destination", title="Destination")
        Redirect.objects.create(old_path="/to-summer", redirect_page=cls.page)
        schedule_redirect(
            "/soon",
            "/x/",
            starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2),
            expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=4),
        )

    url_for = permissions.TestEveryAdminUrl.url_for

    def setUp(self) -> None:
        self.client = Client()
        self.client.force_login(self.admin)
        self.messages = catalogue(self.language)

    def screens(self) -> dict[str, Any]:
        """Each screen's rendered HTML by a name for the failure message."""
        get = self.client.get
        pages: dict[str, Any] = {}
        for name in sorted(permissions.EXPECTED):
            response = get(self.url_for(name))
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages[name] = response
        pages["dashboard"] = get(reverse("wagtailadmin_home"))
        pages["page edit (side panels)"] = get(
            reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        )
        pages["page explorer"] = get(reverse("wagtailadmin_explore", args=[self.home.pk]))
        pages["move confirmation"] = get(
            reverse("wagtailadmin_pages:move_confirm", args=[self.page.pk, self.destination.pk])
        )
        pages["redirect form errors"] = self.client.post(
            reverse("redirect_tools_redirects:add"), {"old_path": "", "status_code": "301"}
        )
        pages["scheduled form errors"] = self.client.post(
            reverse("scheduled_redirects:add"), {"source_kind": "path", "old_path": ""}
        )
        for action in ("gone", "ignore", "redirect"):
            pages[f"not found fix: {action}"] = get(
                reverse("wagtail_redirect_tools:not_found_fix", args=[action]),
                {"id": [self.not_found.pk]},
            )
        pages["edge export"] = get(
            reverse("wagtail_redirect_tools:edge_export"), {"format": "nginx", "site": self.site.pk}
        )
        upload = reverse("wagtail_redirect_tools:import")
        form = {"default_type": "301", "on_existing": "update", "file_format": "auto"}
        form["encoding"] = "auto"
        response = self.client.post(
            upload, {**form, "file": SimpleUploadedFile("old-site.csv", CSV)}, follow=True
        )
        pages["import preview"] = response
        confirm = response.redirect_chain[-1][0].rstrip("/") + "/confirm/"
        pages["import result"] = self.client.post(confirm, {"valid_only": "1"}, follow=True)
        pages["import upload errors"] = self.client.post(upload, form)
        pages["import column matching"] = self.client.post(
            upload,
            {**form, "has_header": "", "file": SimpleUploadedFile("bare.csv", HEADERLESS)},
            follow=True,
        )
        # The messages that follow an action, on the screen it returns to.
        bulk = reverse(
            "wagtail_bulk_action", args=["wagtailredirects", "redirect", "change_status"]
        )
        pages["after a bulk status change"] = self.client.post(
            f"{bulk}?id={self.redirect.pk}", {"status_code": "307"}, follow=True
        )
        pages["after marking a 404 gone"] = self.client.post(
            reverse("wagtail_redirect_tools:not_found_fix", args=["gone"]),
            {"id": [self.not_found.pk]},
            follow=True,
        )
        pages["after ending a window now"] = self.client.post(
            reverse("wagtail_redirect_tools:end_window", args=[self.window.pk]), follow=True
        )
        return pages

    def test_no_string_of_ours_is_left_in_english(self) -> None:
        pages = self.screens()
        self.assertGreater(len(pages), 35)
        left = {}
        for name, response in pages.items():
            self.assertEqual(response.status_code, 200, name)
            html = response.content.decode()
            if "<html" in html:  # not the listings' results fragments
                self.assertIn(f'lang="{self.language}"', html, name)
            found = untranslated(html, self.messages)
            if found:
                left[name] = sorted(found)
        self.maxDiff = None
        self.assertEqual(left, {})
        if self.language == "fr":  # the screens after an action show its message, in French
            for name, sentence in [
                ("after a bulk status change", "1 redirection répond maintenant avec 307."),
                ("after marking a 404 gone", "1 chemin répond maintenant 410 Gone."),
                ("after ending a window now", "les visiteurs le voient de nouveau"),
            ]:
                self.assertIn(sentence, " ".join(visible_text(pages[name].content.decode())), name)

    def test_the_check_finds_english_when_the_editor_reads_english(self) -> None:
        """The same screens in English show many of the catalogue's msgids: the check
        above looks at the right text."""
        UserProfile.objects.filter(user=self.admin).update(preferred_language="en")
        pages = self.screens()
        shown = set().union(
            *(untranslated(r.content.decode(), self.messages) for r in pages.values())
        )
        self.assertGreater(len(shown), 100)
