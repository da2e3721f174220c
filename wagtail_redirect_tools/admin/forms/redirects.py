"""Admin forms for redirects and scheduled redirects.

The rules themselves live in :mod:`wagtail_redirect_tools.rules` and the models'
``clean`` (``ScheduledRedirect.clean``, core's ``Redirect.clean``); the forms add the
checks that only an editor's form has (a page source must be chosen, a new expiry must
be in the future, a source that is a live page's URL needs *Save it anyway*) and put
each error on its field."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import formfield_for_dbfield
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.contrib.redirects.forms import RedirectForm as CoreRedirectForm
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from ... import conf, rules
from ...editing.permissions import may_write_window, window_pages_refused
from ...editing.translations import language_name, translations_of
from ...importing.context import ImportContext
from ...importing.errors import ImportFileError
from ...importing.planning import ImportOptions, OnExisting
from ...importing.reading import ENCODING_CHOICES, FORMAT_CHOICES, check_file_size
from ...models import RedirectDetails, ScheduledRedirect
from ...resolution.live_pages import live_page_urls
from ...rules import REDIRECT_STATUS_CHOICES, validate_redirect_link
from ...scheduling import save_window, save_with_translations
from .errors import DescribedFieldsMixin
from .matching import MATCH_CHOICES, MATCH_EXACT, MATCH_PREFIX, link_for, shown, source_for
from .pattern_preview import Preview, preview

TARGET_FIELDS = ["redirect_page", "redirect_page_route_path", "redirect_link"]
WINDOW_FIELDS = ["status_code", "starts_at", "expires_at", "reason"]


class WindowForm(DescribedFieldsMixin, WagtailAdminModelForm):
    """Saves through ``save_window``, which validates again under the windows lock."""

    def save(self, commit: bool = True) -> ScheduledRedirect:
        if not commit:
            return super().save(commit=False)
        return save_window(self.instance, user=getattr(self, "for_user", None))

    def check_page_rights(self, source_page: Any) -> None:
        """Refuse a window on a page the editor may not edit, before or after this change
        (the rule of every window writer: ``permissions.window_pages_refused``)."""
        user = getattr(self, "for_user", None)
        if user is None:
            return  # a form used by code, not by an editor
        new_id = source_page.pk if source_page is not None else None
        if not may_write_window(user, self.instance.source_page_id, new_id):
            self.add_error(
                "source_page" if "source_page" in self.fields else None,
                _("You may not redirect this page: that needs permission to edit it."),
            )

    def add_save_error(self, error: ValidationError) -> None:
        """Show a refusal of ``save_window`` (another editor's overlapping window) on the form."""
        for field, errors in error.update_error_dict({}).items():
            self.add_error(field if field in self.fields else None, errors)


def add_window_help_texts(fields: dict[str, forms.Field]) -> None:
    """Help text with an example on each field a window form has."""
    help_texts = {
        "old_path": _(
            "The address to redirect, as a path: e.g. /summer-sale/. A trailing slash makes "
            "no difference."
        ),
        "site": _(
            "The site whose address this is, e.g. the one at www.example.com; “All sites” "
            "redirects the path on every site."
        ),
        "source_page": _(
            "e.g. “Opening hours”: the page is redirected wherever it is reached, even after "
            "it moves, and served again when the window ends."
        ),
        "redirect_page": _(
            "Where visitors go: a page, e.g. “Christmas opening hours”; the redirect follows "
            "it when it moves. Or enter a path or URL below."
        ),
        "redirect_page_route_path": _(
            "Optional route on the target page, e.g. /past/ for an events page's past events."
        ),
        "redirect_link": _(
            "Where visitors go when no page is chosen: a path, e.g. /offers/, or a full URL, "
            "e.g. https://example.com/."
        ),
        "status_code": _(
            "302 for most temporary redirects, e.g. a campaign; 307 when forms post to the "
            "address and must keep posting."
        ),
        "starts_at": _(
            "In your time zone, e.g. 2026-12-01 09:00. Leave empty to start immediately."
        ),
        "expires_at": _(
            "In your time zone, e.g. 2027-01-06 00:00: from this moment the original page or "
            "path is served again."
        ),
        "reason": _("For other editors, e.g. “Winter sale campaign”."),
    }
    for name, help_text in help_texts.items():
        if name in fields:
            fields[name].help_text = help_text


SOURCE_PATH, SOURCE_PAGE = "path", "page"
# The source fields of each choice, marked for window-form.js, which shows only those.
SOURCE_FIELDS = {"old_path": SOURCE_PATH, "site": SOURCE_PATH, "source_page": SOURCE_PAGE}


class ScheduledRedirectForm(WindowForm):
    """Create or edit any window: first the choice of a path (on a site or all sites) or
    a page, then only that source (window-form.js hides the other; without the script
    both stay, and the choice decides which one is saved)."""

    source_kind = forms.ChoiceField(
        label=_("Redirect from"),
        choices=[(SOURCE_PATH, _("A path")), (SOURCE_PAGE, _("A page"))],
        widget=forms.RadioSelect(attrs={"data-window-source-kind": ""}),
        required=False,
        help_text=_(
            "A path, e.g. /summer-sale/, whether or not a page is there; or a page, e.g. "
            "“Opening hours”, wherever it is reached."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].empty_label = _("All sites")
        has_page = self.instance.source_page_id is not None
        self.initial.setdefault("source_kind", SOURCE_PAGE if has_page else SOURCE_PATH)
        for name, kind in SOURCE_FIELDS.items():
            self.fields[name].widget.attrs["data-window-source"] = kind
        add_window_help_texts(self.fields)

    class Meta:
        model = ScheduledRedirect
        fields = ["old_path", "site", "source_page", *TARGET_FIELDS, *WINDOW_FIELDS]
        # Wagtail's widgets: page choosers, date-time pickers.
        formfield_callback = formfield_for_dbfield

    class Media:
        js = ["wagtail_redirect_tools/js/window-form.js"]

    field_order = ["source_kind", "old_path", "site", "source_page"]

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or self.cleaned_data
        kind = cleaned_data.get("source_kind")
        if kind == SOURCE_PAGE:  # a path left in the hidden field is not the source
            cleaned_data.update(old_path="", site=None)
            if not cleaned_data.get("source_page") and "source_page" not in self.errors:
                self.add_error("source_page", _("Choose the page to redirect."))
        elif kind == SOURCE_PATH:
            cleaned_data["source_page"] = None
        self.check_page_rights(cleaned_data.get("source_page"))
        return cleaned_data


THIS_PAGE, WITH_TRANSLATIONS = "page", "translations"


class PageWindowForm(WindowForm):
    """Redirect one page temporarily; the page is the form's instance's ``source_page``.

    On a page with translations (``WAGTAIL_I18N_ENABLED``) the editor chooses "This page
    only" or "This page and its translations"; with translations, ``save()`` writes one
    window per translation (``scheduling.save_with_translations``), all or none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_window_help_texts(self.fields)
        self.translations = translations_of(self.instance.source_page)
        #: Every window the last save() wrote: the page's first.
        self.saved_windows: list[ScheduledRedirect] = []
        if self.translations:
            languages = ", ".join(language_name(page.locale) for page in self.translations)
            self.fields["translations"] = forms.ChoiceField(
                label=_("Redirect"),
                choices=[
                    (THIS_PAGE, _("This page only")),
                    (
                        WITH_TRANSLATIONS,
                        _("This page and its translations (%(languages)s)")
                        % {"languages": languages},
                    ),
                ],
                initial=THIS_PAGE,
                widget=forms.RadioSelect,
                help_text=_(
                    "With its translations, each translation gets a window of its own with "
                    "these times, and a target page is replaced by its translation in the "
                    "same language where there is one."
                ),
            )
            self.order_fields(["translations"])

    class Meta:
        model = ScheduledRedirect
        fields = [*TARGET_FIELDS, *WINDOW_FIELDS]
        formfield_callback = formfield_for_dbfield

    @property
    def with_translations(self) -> bool:
        return (
            bool(self.translations) and self.cleaned_data.get("translations") == WITH_TRANSLATIONS
        )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or self.cleaned_data
        self.check_page_rights(self.instance.source_page)
        if self.with_translations:
            self.check_translation_rights()
        return cleaned_data

    def check_translation_rights(self) -> None:
        """Each translation's window needs the right to edit that translation."""
        user = getattr(self, "for_user", None)
        if user is None:
            return
        refused = window_pages_refused(user, [page.pk for page in self.translations])
        if refused:
            languages = ", ".join(
                language_name(page.locale) for page in self.translations if page.pk in refused
            )
            self.add_error(
                "translations",
                _(
                    "You may not redirect its translations in %(languages)s: that needs "
                    "permission to edit them. Choose “This page only”, or ask an editor "
                    "of those pages."
                )
                % {"languages": languages},
            )

    def save(self, commit: bool = True) -> ScheduledRedirect:
        if not commit:
            return super().save(commit=False)
        user = getattr(self, "for_user", None)
        if self.with_translations:
            self.saved_windows = save_with_translations(self.instance, user=user)
        else:
            self.saved_windows = [save_window(self.instance, user=user)]
        return self.saved_windows[0]


class ExtendExpiryForm(forms.Form):
    expires_at = forms.DateTimeField(
        label=_("New expiry"),
        widget=AdminDateTimeInput,
        help_text=_("Every selected redirect will end at this moment."),
    )

    def clean_expires_at(self) -> datetime.datetime:
        value: datetime.datetime = self.cleaned_data["expires_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The new expiry must be in the future."))
        return value


# The codes a new plain redirect is offered: permanent ones and Gone. A temporary redirect
# belongs in a window, which ends by itself; an existing 302/307 keeps its code.
PLAIN_STATUS_CODES = (301, 308, rules.GONE)


def plain_status_choices(current: int | None = None) -> list[tuple[int, Any]]:
    """The status choices of the plain form, with ``current`` kept when it is another code."""
    return [
        (code, label)
        for code, label in REDIRECT_STATUS_CHOICES
        if code in PLAIN_STATUS_CODES or code == current
    ]


def is_live_page_url(site: Site | None, path: str) -> bool:
    """Whether ``path`` is a live page's URL on ``site`` (all sites: on any site), by the
    import planner's own rule (``ImportContext.is_live_page_url``)."""
    sites = list(Site.objects.select_related("root_page").order_by("pk"))
    context = ImportContext(
        sites=sites,
        default_site_id=None,
        page_urls=live_page_urls(sites, only={path}),
        page_ids=set(),
        redirects={},
    )
    return context.is_live_page_url(site.pk if site is not None else None, path)


def live_page_warning(site: Site | None, path: str) -> ValidationError:
    where = (
        _("on %(site)s") % {"site": site.site_name or site.hostname}
        if site is not None
        else _("on one of your sites")
    )
    return ValidationError(
        _(
            "A live page is at %(path)s %(where)s. Wagtail serves the page before any "
            "redirect, so visitors keep seeing the page and this redirect is only used once "
            "the page is unpublished, moved or deleted. To send visitors elsewhere now, for a "
            "while, use Scheduled redirects. Tick the box to save this redirect anyway."
        )
        % {"path": path, "where": where},
        code="live_page",
    )


class RedirectForm(CoreRedirectForm):
    """Core's redirect form with the exact status code (301/308 or 410 Gone; an existing
    302/307 keeps its own) instead of the "permanent" tick, a target that may be a path on
    this site, and a checkbox to confirm a source that is a live page's URL."""

    status_code = forms.TypedChoiceField(
        label=_("Status"), choices=plain_status_choices(), coerce=int, initial=301
    )
    redirect_link = forms.CharField(
        label=_("Redirect to any URL"),
        required=False,
        max_length=255,
        validators=[validate_redirect_link],
        help_text=_(
            "A path on this site, e.g. /offers/, or a full URL, e.g. https://example.com/. "
            "Leave it and the page empty for 410 Gone."
        ),
    )
    confirm_live_page = forms.BooleanField(
        label=_("Save it anyway: the redirect takes over when the page is gone"),
        required=False,
        widget=forms.HiddenInput,  # a checkbox once the source turns out to be a page's URL
    )
    match = forms.ChoiceField(
        label=_("Match"),
        choices=MATCH_CHOICES,
        initial=MATCH_EXACT,
        required=False,  # a form posted without it (e.g. by an older page) is exact
        widget=forms.RadioSelect(attrs={"data-wrt-match": ""}),
        help_text=_(
            "“This path and everything under it”: e.g. /old-section/ also redirects "
            "/old-section/some/page/. “A pattern with named segments”: e.g. "
            "/news/:year/:slug, where each :name stands for one segment and may be used in "
            "the target, e.g. /blog/:slug."
        ),
    )
    carry = forms.BooleanField(
        label=_("Carry the rest of the path to the target"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-wrt-carry": ""}),
        help_text=_(
            "For “This path and everything under it”: /old-section/some/page/ goes to "
            "/new-section/some/page/ when the target is /new-section/. Only a path or URL "
            "target can carry it: a page has one URL."
        ),
    )
    every_language = forms.BooleanField(
        label=_("Every language"),
        required=False,
        help_text=_(
            "Also redirect this path under every language's prefix, e.g. /old-page/ for "
            "/cy/old-page/ and /fr/old-page/, each to the page's translation in that language "
            "(the page itself where it has none; a path such as /news/ gets the language's "
            "prefix). A redirect saved for one language's path, e.g. /cy/old-page/, still "
            "takes its place there."
        ),
    )

    def __init__(self, *args: Any, origin: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origin = origin
        current = None
        if not conf.i18n_enabled():
            del self.fields["every_language"]
        if self.instance.pk:
            current = RedirectDetails.effective_status_code(self.instance)
            self.initial["status_code"] = current
            if "every_language" in self.fields:
                self.initial["every_language"] = RedirectDetails.serves_every_language(
                    self.instance
                )
        self.fields["status_code"].choices = plain_status_choices(current)
        if self.instance.pk:
            self._show_stored_pattern()
        self.order_fields(
            [
                "match",
                "old_path",
                "site",
                "confirm_live_page",
                "status_code",
                "redirect_page",
                "redirect_link",
                "carry",
            ]
        )
        self._add_help_texts()
        self._mark_gone_switch()

    def _show_stored_pattern(self) -> None:
        """A stored prefix is shown as its path and the "carry" tick, as it was typed."""
        stored = shown(
            self.instance.old_path,
            self.instance.redirect_link or "",
            RedirectDetails.is_pattern_redirect(self.instance),
        )
        self.initial.update(
            match=stored.match, old_path=stored.path, redirect_link=stored.link, carry=stored.carry
        )

    @property
    def preview(self) -> Preview:
        """The examples and live pages shown for the form's values (as submitted, or as
        stored)."""
        if self.is_bound:
            data = self.data
            page_id = data.get("redirect_page") or ""
            site_id = data.get("site") or ""
            values = {
                "match": data.get("match") or MATCH_EXACT,
                "path": data.get("old_path") or "",
                "link": data.get("redirect_link") or "",
                "carry": bool(data.get("carry")),
                "page": Page.objects.filter(pk=page_id).first() if page_id.isdigit() else None,
                "site": (
                    Site.objects.select_related("root_page").filter(pk=site_id).first()
                    if site_id.isdigit()
                    else None
                ),
                "gone": data.get("status_code") == str(rules.GONE),
            }
        else:
            values = {
                "match": self.initial.get("match") or MATCH_EXACT,
                "path": self.initial.get("old_path") or "",
                "link": self.initial.get("redirect_link") or "",
                "carry": bool(self.initial.get("carry")),
                "page": self.instance.redirect_page,
                "site": self.instance.site,
                "gone": self.initial.get("status_code") == rules.GONE,
            }
        return preview(**values)

    class Meta(CoreRedirectForm.Meta):
        fields = ("old_path", "site", "status_code", "redirect_page", "redirect_link")

    class Media:
        css = {"all": ["wagtail_redirect_tools/css/forms.css"]}
        js = [
            "wagtail_redirect_tools/js/redirect-form.js",
            "wagtail_redirect_tools/js/pattern-form.js",
        ]

    def _add_help_texts(self) -> None:
        fields = self.fields
        fields["old_path"].help_text = _(
            "The address visitors come from, as a path: e.g. /old-page/ or "
            "/news/2019/summer-fair/. A trailing slash makes no difference."
        )
        fields["site"].help_text = _(
            "The site whose address this is, e.g. the one at www.example.com; "
            "“All sites” redirects the path on every site."
        )
        fields["redirect_page"].help_text = _(
            "A page, e.g. “Contact us”: the redirect follows it when it moves."
        )
        fields["status_code"].help_text = format_html(
            '{} {} <a href="{}">{}</a>.',
            _(
                "301 for a page that has moved for good, e.g. after a relaunch; 308 when "
                "forms post to the old address; 410 Gone when nothing replaces it."
            ),
            _("For a redirect that ends on a date, use"),
            reverse("scheduled_redirects:add"),
            _("Scheduled redirects"),
        )

    def _mark_gone_switch(self) -> None:
        """Attributes for redirect-form.js, which switches the targets off for 410 Gone."""
        self.fields["status_code"].widget.attrs["data-redirect-status"] = ""
        for name in ("redirect_page", "redirect_link"):
            self.fields[name].widget.attrs["data-redirect-target"] = ""

    def clean_match(self) -> str:
        return self.cleaned_data.get("match") or MATCH_EXACT

    def clean_old_path(self) -> Any:
        """The rules every writer of a source shares (``rules.source_error``), then the
        stored source for the chosen match (``matching.source_for``: ``/old-section/*``)."""
        old_path = self.cleaned_data["old_path"]
        error = rules.source_error(old_path) if old_path else None
        if error is not None:
            raise error
        if old_path and "match" in self.cleaned_data:
            return source_for(self.cleaned_data["match"], old_path)
        return old_path

    def _get_validation_exclusions(self) -> Any:
        # Core's model field only takes absolute URLs; the form field above decides.
        return {*super()._get_validation_exclusions(), "redirect_link"}

    def clean(self) -> Any:
        cleaned_data = super().clean() or self.cleaned_data
        has_target = bool(cleaned_data.get("redirect_page") or cleaned_data.get("redirect_link"))
        if cleaned_data.get("status_code") == 410:
            if has_target:
                self.add_error("status_code", rules.gone_with_target_error())
        elif not has_target and not self.errors:
            self.add_error("redirect_link", rules.missing_target_error())
        self._clean_pattern_target(cleaned_data)
        link = cleaned_data.get("redirect_link")
        old_path = cleaned_data.get("old_path")
        if (
            self.is_exact
            and link
            and old_path
            and not self.has_error("redirect_link")
            and rules.link_loops(Redirect.normalise_path(old_path), link, cleaned_data.get("site"))
        ):
            self.add_error("redirect_link", rules.LOOP_MESSAGE)
        code = cleaned_data.get("status_code")
        self.instance.is_permanent = code is not None and rules.is_permanent_for_core(code)
        if not self.errors:
            self._check_live_page(cleaned_data)
        return cleaned_data

    @property
    def is_exact(self) -> bool:
        return self.cleaned_data.get("match", MATCH_EXACT) == MATCH_EXACT

    def _clean_pattern_target(self, cleaned_data: dict[str, Any]) -> None:
        """The stored target of a prefix or pattern (``matching.link_for``: ``/:splat``
        appended when the rest of the path is carried), its placeholders checked."""
        old_path = cleaned_data.get("old_path")
        if self.is_exact or not old_path or self.has_error("redirect_link"):
            return
        if cleaned_data.get("status_code") == rules.GONE:
            if cleaned_data.get("carry"):
                self.add_error("carry", _("A 410 Gone has no target to carry the path to."))
            return
        try:
            cleaned_data["redirect_link"] = link_for(
                cleaned_data["match"],
                old_path,
                cleaned_data.get("redirect_link") or "",
                bool(cleaned_data.get("carry")) and cleaned_data["match"] == MATCH_PREFIX,
                cleaned_data.get("redirect_page") is not None,
            )
        except ValidationError as error:
            field = "carry" if error.code == "page_cannot_carry" else "redirect_link"
            self.add_error(field, error)

    def _check_live_page(self, cleaned_data: dict[str, Any]) -> None:
        """Ask for the checkbox when a new or changed source is a live page's URL (a
        prefix or pattern warns of the pages it covers instead, in its preview)."""
        if cleaned_data.get("confirm_live_page") or not self.is_exact:
            return
        site = cleaned_data.get("site")
        path = Redirect.normalise_path(cleaned_data["old_path"])
        source = (site.pk if site is not None else None, path)
        if self.instance.pk and source == (self.instance.site_id, self.instance.old_path):
            return  # unchanged: saved before, with or without the warning
        if is_live_page_url(site, path):
            self.fields["confirm_live_page"].widget = forms.CheckboxInput()
            self.add_error("confirm_live_page", live_page_warning(site, path))

    def save(self, commit: bool = True) -> Any:
        redirect = super().save(commit=commit)
        if commit:
            RedirectDetails.record(
                redirect,
                status_code=self.cleaned_data["status_code"],
                origin=self.origin,
                user=self.for_user,
                every_language=self.cleaned_data.get("every_language"),
                is_pattern=not self.is_exact,
            )
        return redirect


class ImportUploadForm(DescribedFieldsMixin, forms.Form):
    """The file and the choices that apply to all its rows."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV, TSV, Excel (.xlsx) or JSON, or Netlify or Apache redirect lines. If the "
            "first row does not name the columns, you will match them next."
        ),
    )
    site = forms.ModelChoiceField(
        label=_("Site for rows without one"),
        queryset=Site.objects.order_by("hostname", "port"),
        required=False,
        empty_label=_("All sites"),
    )
    default_type = forms.TypedChoiceField(
        label=_("Type for rows without one"),
        choices=REDIRECT_STATUS_CHOICES,
        coerce=int,
        initial=301,
        help_text=_("Rows with an expiry are temporary (302) unless they say 307."),
    )
    on_existing = forms.ChoiceField(
        label=_("When a row's 'from' already has a redirect"),
        choices=OnExisting.choices,
        initial=OnExisting.UPDATE,
        widget=forms.RadioSelect,
    )
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only"),
        required=False,
        help_text=_("Otherwise one row with an error stops the whole import."),
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="auto")
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, initial="auto")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_file_size(upload.size)  # before the file is read into memory
        except ImportFileError as error:
            raise forms.ValidationError(str(error), code="too_large") from error
        return upload

    def import_options(self) -> ImportOptions:
        data = self.cleaned_data
        return ImportOptions(
            site_id=data["site"].pk if data["site"] else None,
            default_type=data["default_type"],
            on_existing=data["on_existing"],
            valid_only=data["valid_only"],
            file_format=data["file_format"],
            encoding=data["encoding"],
        )
