"""The data this package adds to Wagtail's own ``Redirect``.

``ScheduledRedirect`` is a temporary redirect with a time window. Its state
(scheduled, active, expired) is computed from the clock every time it is asked
for; the ``*_logged_at`` fields only record which transitions the bookkeeping
(audit log, front-end cache purge, notices) has already handled.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import Resolver404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from . import conf, rules
from .editing.page_titles import page_title
from .rules import admin_root, is_admin_path, validate_redirect_link

__all__ = [
    "Origin",
    "RedirectDetails",
    "RedirectImport",
    "ScheduledRedirect",
    "UserNotificationPreferences",
    "WindowState",
    "WriteLock",
    "admin_root",
    "is_admin_path",
    "page_link",
    "validate_redirect_link",
]


# -- Queries on scheduled windows (and their computed states) and on core redirects --


class WindowState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")


class ScheduledRedirectQuerySet(models.QuerySet[Any]):
    def active(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        now = now or timezone.now()
        return self.filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now), expires_at__gt=now)

    def scheduled(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        return self.filter(starts_at__gt=now or timezone.now())

    def expired(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def not_expired(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        return self.filter(expires_at__gt=now or timezone.now())

    def in_state(
        self, state: str, now: datetime.datetime | None = None
    ) -> ScheduledRedirectQuerySet:
        by_state = {
            WindowState.SCHEDULED: self.scheduled,
            WindowState.ACTIVE: self.active,
            WindowState.EXPIRED: self.expired,
        }
        return by_state[WindowState(state)](now)

    def same_source_as(self, window: Any) -> ScheduledRedirectQuerySet:
        if window.source_page_id is not None:
            found = self.filter(source_page_id=window.source_page_id)
        else:
            found = self.filter(source_page__isnull=True, old_path=window.old_path)
            if window.site_id is None:
                found = found.filter(site__isnull=True)
            else:
                found = found.filter(site_id=window.site_id)
        return found.exclude(pk=window.pk) if window.pk else found


# A core redirect answered with 410 Gone: our details say so and it has no target.
GONE_REDIRECTS = Q(details__status_code=410, redirect_page__isnull=True, redirect_link="")


def unused_for(days: int, now: datetime.datetime | None = None) -> Q:
    """Core redirects created at least ``days`` ago that no request followed in the last
    ``days`` days (clean-up candidates)."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    not_followed = Q(details__last_hit_at__isnull=True) | Q(details__last_hit_at__lt=since)
    return Q(created_at__lte=since) & not_followed


def page_link(page: Page, route_path: str = "", request: Any = None) -> str | None:
    """The URL of ``page`` (plus ``route_path`` when the page serves that route), or None
    when the page is on no site: never a URL with "None" in it."""
    specific = page.specific_deferred
    base_url: str | None = specific.get_url(request=request)
    if base_url is None or not route_path:
        return base_url
    try:
        specific.resolve_subpage(route_path)
    except (AttributeError, Resolver404):
        return base_url
    return base_url.rstrip("/") + route_path


# Which transitions of a window the bookkeeping has handled (see ``reset_bookkeeping``).
BOOKKEEPING_FIELDS = ("start_logged_at", "end_logged_at", "expiry_notice_sent_at")


class ScheduledRedirect(models.Model):
    """A temporary redirect that applies from ``starts_at`` until ``expires_at``.

    The source is either a path (on one site, or on all sites when ``site`` is
    empty) or a page, in which case it applies to that page's URLs wherever the
    page is, and follows it when it moves.
    """

    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.CASCADE,
        help_text=_("Only for a path. Leave empty to apply the path on every site."),
    )
    old_path = models.CharField(
        verbose_name=_("redirect from path"),
        max_length=255,
        blank=True,
        help_text=_("A path such as /spring-sale/. Leave empty when redirecting a page."),
    )
    source_page = models.ForeignKey(
        Page,
        verbose_name=_("redirect from page"),
        null=True,
        blank=True,
        related_name="scheduled_redirects",
        on_delete=models.CASCADE,
        help_text=_("The page is redirected wherever it is reached, even after it moves."),
    )
    redirect_page = models.ForeignKey(
        Page,
        verbose_name=_("redirect to a page"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.CASCADE,
    )
    redirect_page_route_path = models.CharField(
        verbose_name=_("target page route"),
        max_length=255,
        blank=True,
        help_text=_("Optional route on the target page, such as /past/."),
    )
    redirect_link = models.CharField(
        verbose_name=_("redirect to a path or URL"),
        max_length=255,
        blank=True,
        validators=[validate_redirect_link],
        help_text=_("A path such as /offers/ or a full URL such as https://example.com/."),
    )
    status_code = models.PositiveSmallIntegerField(
        verbose_name=_("status code"), choices=rules.WINDOW_STATUS_CHOICES, default=302
    )
    starts_at = models.DateTimeField(
        verbose_name=_("starts at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Leave empty to start immediately."),
    )
    expires_at = models.DateTimeField(
        verbose_name=_("expires at"),
        db_index=True,
        help_text=_("From this moment the original page or path is served again."),
    )
    reason = models.TextField(
        verbose_name=_("reason"),
        blank=True,
        help_text=_("For other editors, e.g. 'Winter sale campaign'."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    # Bookkeeping of transitions already handled (not the state: see ``state``).
    start_logged_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_logged_at = models.DateTimeField(null=True, blank=True, editable=False)
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    hits = models.PositiveBigIntegerField(verbose_name=_("hits"), default=0, editable=False)
    last_hit_at = models.DateTimeField(
        verbose_name=_("last hit"), null=True, blank=True, editable=False
    )

    source_import = models.ForeignKey(
        "RedirectImport",
        verbose_name=_("import"),
        null=True,
        blank=True,
        editable=False,
        related_name="windows",
        on_delete=models.SET_NULL,
    )

    objects: ClassVar[ScheduledRedirectQuerySet] = ScheduledRedirectQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("scheduled redirect")
        verbose_name_plural = _("scheduled redirects")
        ordering = ["expires_at", "pk"]
        indexes = [models.Index(fields=["old_path", "expires_at"], name="wrt_window_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(expires_at__gt=models.F("starts_at")),
                name="wrt_window_expires_after_start",
                violation_error_message=_("The expiry must be after the start."),
            ),
            models.CheckConstraint(
                condition=(Q(source_page__isnull=True) & ~Q(old_path=""))
                | (Q(source_page__isnull=False) & Q(old_path="")),
                name="wrt_window_one_source",
                violation_error_message=_("Redirect either a path or a page, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.source_label

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._store_times_in_utc()
        self.reset_bookkeeping(timezone.now())
        super().save(*args, **kwargs)

    def reset_bookkeeping(self, now: datetime.datetime) -> None:
        """A window moved into the future has its transitions (and notice) still to come."""
        if self.expires_at > now:
            self.end_logged_at = None
        if self.starts_at is not None and self.starts_at > now:
            self.start_logged_at = None
        if self.expires_at > now + datetime.timedelta(days=conf.expiry_notice_days()):
            self.expiry_notice_sent_at = None

    def record_as_history(self, now: datetime.datetime) -> None:
        """A window written here after it ended (an import of another site's export, a
        restore) ran elsewhere if at all: its start and end count as recorded, so the
        bookkeeping neither logs nor purges them here. It is kept, as every ended
        window, until ``KEEP_EXPIRED_DAYS`` after its end."""
        if self.expires_at <= now:
            self.start_logged_at = self.start_logged_at or now
            self.end_logged_at = self.end_logged_at or now

    def _store_times_in_utc(self) -> None:
        # Aware datetimes that share a tzinfo compare by wall time, ignoring ``fold``:
        # 01:30 before and after the clocks go back would look equal. UTC has no folds.
        if self.starts_at is not None:
            self.starts_at = self.starts_at.astimezone(datetime.UTC)
        if self.expires_at is not None:
            self.expires_at = self.expires_at.astimezone(datetime.UTC)

    # -- Reading -------------------------------------------------------------------

    @property
    def source_label(self) -> str:
        if (page := self.source_page) is not None:
            return page_title(page)
        if (site := self.site) is not None:
            return f"{site.hostname}{self.old_path}"
        return self.old_path

    @property
    def target_label(self) -> str:
        if (page := self.redirect_page) is not None:
            return page_title(page) + self.redirect_page_route_path
        return self.redirect_link

    def state_at(self, now: datetime.datetime) -> WindowState:
        if self.expires_at <= now:
            return WindowState.EXPIRED
        if self.starts_at is not None and self.starts_at > now:
            return WindowState.SCHEDULED
        return WindowState.ACTIVE

    @property
    def state(self) -> WindowState:
        return self.state_at(timezone.now())

    def link(self, request: Any = None) -> str | None:
        """Where the window sends visitors, or None when the target page has no URL."""
        if self.redirect_page is None:
            return self.redirect_link or None
        return page_link(self.redirect_page, self.redirect_page_route_path, request)

    # -- Validation ----------------------------------------------------------------

    def clean_fields(self, exclude: Any = None) -> None:
        # The status code is checked by ``clean`` with the rule's own message (a
        # permanent code cannot expire), not the field's "not a valid choice".
        super().clean_fields(exclude={*(exclude or ()), "status_code"})

    def clean(self) -> None:
        super().clean()
        self._store_times_in_utc()
        # Checked before normalising, which would drop a tab without a word.
        source_error = rules.source_error(self.old_path) if self.old_path else None
        if self.old_path:
            self.old_path = Redirect.normalise_path(self.old_path)
        errors: dict[str, list[ValidationError]] = {}

        def add(field: str, message: Any, code: str | None = None) -> None:
            error = message if isinstance(message, ValidationError) else None
            errors.setdefault(field, []).append(error or ValidationError(message, code=code))

        for field in ("redirect_link", "redirect_page_route_path", "reason"):
            if "\x00" in getattr(self, field):
                add(field, rules.null_character_error())
        if source_error is not None:
            add("old_path", source_error)
        self._clean_source(add)
        self._clean_target(add)
        self._clean_window(add)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        overlapping = self.overlapping_windows(now)
        if overlapping:
            other = overlapping[0]
            raise ValidationError(
                {"expires_at": rules.window_overlap_error(other.began_at(now), other.expires_at)}
            )

    def _clean_source(self, add: Any) -> None:
        if self.source_page_id is None and not self.old_path:
            add("old_path", _("Enter a path to redirect, or choose a page."), "no_source")
        elif self.source_page_id is not None and self.old_path:
            add("old_path", _("Redirect either a path or a page, not both."), "two_sources")
        elif self.source_page_id is not None and self.site_id is not None:
            add(
                "site",
                _("A page is redirected on every site it appears on; leave the site empty."),
                "site_with_page",
            )

    def _clean_target(self, add: Any) -> None:
        if self.redirect_page_id is None and not self.redirect_link:
            add("redirect_link", rules.missing_target_error())
            return
        if self.redirect_page_id is not None and self.redirect_link:
            add("redirect_link", _("Redirect to a page or to a URL, not both."), "two_targets")
            return
        if self.redirect_page_route_path and self.redirect_page_id is None:
            add("redirect_page_route_path", _("A route needs a target page."), "route_no_page")
        if self._target_is_source():
            add("redirect_link", rules.LOOP_MESSAGE, "loop")

    def _target_is_source(self) -> bool:
        if self.redirect_page_id is not None:
            return (
                self.redirect_page_id == self.source_page_id and not self.redirect_page_route_path
            )
        return rules.link_loops(self.old_path, self.redirect_link, self.site)

    def _clean_window(self, add: Any) -> None:
        if error := rules.window_status_error(self.status_code):
            add("status_code", error)
        if self.expires_at is None:
            return  # the field's own "required" error says it
        if error := rules.window_order_error(self.starts_at, self.expires_at):
            add("expires_at", error)
        if self._state.adding and (
            error := rules.window_expiry_error(self.expires_at, timezone.now())
        ):
            add("expires_at", error)

    def began_at(self, now: datetime.datetime) -> datetime.datetime:
        """When the window begins: its start, or (without one) when it was saved, or
        ``now`` for a window not saved yet."""
        return self.starts_at or self.created_at or now

    def overlapping_windows(self, now: datetime.datetime) -> list[ScheduledRedirect]:
        """The other windows of the same source that share a moment with this one."""
        if self.expires_at is None:
            return []
        began = self.began_at(now)
        candidates = ScheduledRedirect.objects.same_source_as(self).filter(expires_at__gt=began)
        return [
            other
            for other in candidates.order_by("expires_at", "pk")
            if rules.windows_overlap(
                (began, self.expires_at), (other.began_at(now), other.expires_at)
            )
        ]


class UserNotificationPreferences(models.Model):
    """Per-user opt-out from the e-mails this package sends."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="redirect_tools_preferences",
    )
    expiry_notices = models.BooleanField(
        verbose_name=_("Scheduled redirect expiry notices"),
        default=True,
        help_text=_("E-mail me a few days before a temporary redirect I created expires."),
    )

    class Meta:
        verbose_name = _("redirect notification preferences")
        verbose_name_plural = _("redirect notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def wants_expiry_notices(cls, user: Any) -> bool:
        preferences = cls.objects.filter(user=user).first()
        return preferences is None or preferences.expiry_notices


class Origin(models.TextChoices):
    MANUAL = "manual", _("Manual")
    AUTOMATIC = "automatic", _("Automatic")
    IMPORT = "import", _("Import")


#: The columns of core's ``Redirect`` that a bulk INSERT of new redirects writes (the
#: automatic redirects of a move, an import's new rows): every column but the id.
REDIRECT_INSERT_FIELDS = (
    "old_path",
    "site",
    "is_permanent",
    "redirect_page",
    "redirect_page_route_path",
    "redirect_link",
    "automatically_created",
    "created_at",
)


class RedirectDetails(models.Model):
    """What this package keeps about a core ``Redirect`` that core has no field for.

    A redirect without details behaves exactly as in core. ``redirect.is_permanent``
    stays the truth core reads: :meth:`effective_status_code` falls back to 301/302
    whenever core (its admin, API or a bulk update) changed the permanence behind
    our back.
    """

    redirect = models.OneToOneField(
        Redirect,
        primary_key=True,
        related_name="details",
        on_delete=models.CASCADE,
    )
    status_code = models.PositiveSmallIntegerField(
        verbose_name=_("status code"), choices=rules.REDIRECT_STATUS_CHOICES, default=301
    )
    origin = models.CharField(
        verbose_name=_("origin"), max_length=16, choices=Origin.choices, default=Origin.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    hits = models.PositiveBigIntegerField(verbose_name=_("hits"), default=0)
    last_hit_at = models.DateTimeField(verbose_name=_("last hit"), null=True, blank=True)
    reason = models.TextField(verbose_name=_("reason"), blank=True)
    source_import = models.ForeignKey(
        "RedirectImport",
        verbose_name=_("import"),
        null=True,
        blank=True,
        related_name="redirect_details",
        on_delete=models.SET_NULL,
    )
    every_language = models.BooleanField(
        verbose_name=_("every language"),
        default=False,
        # Also in the database: rows written without the column (bulk inserts of the
        # columns they set) get False there too.
        db_default=False,
        help_text=_(
            "On a multilingual site: the redirect also answers its path under every "
            "language's prefix (/old-page for /cy/old-page/ and /fr/old-page/), and leads to "
            "the target page's translation in that language."
        ),
    )

    is_pattern = models.BooleanField(
        verbose_name=_("pattern"),
        default=False,
        db_default=False,
        # The patterns are read apart from the exact redirects (a few among many).
        db_index=True,
        help_text=_(
            "The path is a pattern (see wagtail_redirect_tools.patterns): /old-section/* "
            "matches that path and everything under it, /news/:year/:slug named segments."
        ),
    )

    class Meta:
        verbose_name = _("redirect details")
        verbose_name_plural = _("redirect details")

    def __str__(self) -> str:
        return f"{self.redirect_id}: {self.status_code}"

    def clean(self) -> None:
        """A pattern redirect's path must be valid notation, and its external target may
        use only the path's placeholders (:func:`.rules.pattern_error`, which the form and
        the import call as well)."""
        super().clean()
        if self.is_pattern and self.redirect_id is not None:
            redirect = self.redirect
            error = rules.pattern_error(redirect.old_path, redirect.redirect_link or "")
            if error is not None:
                raise ValidationError({"is_pattern": error})

    @staticmethod
    def origin_of(redirect: Redirect) -> Origin:
        """Where ``redirect`` came from: its details say, or else core's own flag does."""
        try:
            return Origin(redirect.details.origin)
        except RedirectDetails.DoesNotExist:
            return RedirectDetails.origin_by_core(redirect)

    @staticmethod
    def serves_every_language(redirect: Redirect) -> bool:
        """Whether ``redirect`` answers its path under every language's prefix too (the
        one place that says so, for the listing, the form and the exports)."""
        try:
            return bool(redirect.details.every_language)
        except RedirectDetails.DoesNotExist:
            return False

    @staticmethod
    def is_pattern_redirect(redirect: Redirect) -> bool:
        """Whether ``redirect``'s path is a pattern (see :mod:`.patterns`), not an exact
        path (the one place that says so, for the listing, the form and the exports)."""
        try:
            return bool(redirect.details.is_pattern)
        except RedirectDetails.DoesNotExist:
            return False

    @staticmethod
    def origin_by_core(redirect: Redirect) -> Origin:
        return Origin.AUTOMATIC if redirect.automatically_created else Origin.MANUAL

    @classmethod
    def implied_by_core(cls, redirect: Redirect) -> RedirectDetails:
        """The details a core redirect without any has: what core's own fields say.

        Every writer that adds details to an existing redirect for another reason
        (hit counts, a status change) starts from these, so the origin never changes.
        """
        return cls(
            redirect_id=redirect.pk,
            status_code=301 if redirect.is_permanent else 302,
            origin=cls.origin_by_core(redirect),
        )

    @staticmethod
    def effective_status_code(redirect: Redirect) -> int:
        """The status a request for ``redirect`` is answered with (see
        :func:`rules.effective_status_code`), from ``redirect.details`` when it exists."""
        try:
            code = redirect.details.status_code
        except RedirectDetails.DoesNotExist:
            code = None
        return RedirectDetails.status_code_for(redirect, code)

    @staticmethod
    def status_code_for(redirect: Redirect, stored: int | None) -> int:
        """:func:`rules.effective_status_code` of ``redirect`` with our ``stored`` code
        (None: no details), for callers that read the code with the redirect."""
        has_target = bool(redirect.redirect_page_id or redirect.redirect_link)
        return rules.effective_status_code(stored, redirect.is_permanent, has_target)

    @classmethod
    def record(
        cls,
        redirect: Redirect,
        *,
        status_code: int | None = None,
        origin: str | None = None,
        user: Any = None,
        every_language: bool | None = None,
        is_pattern: bool | None = None,
    ) -> RedirectDetails:
        """Create or update the details of a saved ``redirect``, keeping core's
        ``is_permanent`` in step with ``status_code`` (None: unchanged)."""
        implied = cls.implied_by_core(redirect)
        details, _created = cls.objects.get_or_create(
            redirect=redirect,
            defaults={
                "status_code": status_code or implied.status_code,
                "origin": origin or implied.origin,
                "created_by": user if getattr(user, "pk", None) else None,
                "every_language": bool(every_language),
                "is_pattern": bool(is_pattern),
            },
        )
        changed = []
        if status_code is not None and details.status_code != status_code:
            details.status_code = status_code
            changed.append("status_code")
        if origin is not None and details.origin != origin:
            details.origin = origin
            changed.append("origin")
        if every_language is not None and details.every_language != every_language:
            details.every_language = every_language
            changed.append("every_language")
        if is_pattern is not None and details.is_pattern != is_pattern:
            details.is_pattern = is_pattern
            changed.append("is_pattern")
        if changed:
            details.save(update_fields=changed)
        permanent = rules.is_permanent_for_core(details.status_code)
        if redirect.is_permanent != permanent:
            redirect.is_permanent = permanent
            redirect.save(update_fields=["is_permanent"])
        redirect.details = details
        return details


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PREVIEWING = "previewing", _("Preview in progress")
    PREVIEWED = "previewed", _("Ready to import")
    IMPORTING = "importing", _("Import in progress")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


def _import_upload_path(instance: RedirectImport, filename: str) -> str:
    return f"wagtail_redirect_tools/imports/{uuid.uuid4().hex}/{filename}"


class RedirectImport(models.Model):
    """One uploaded import file, from upload through preview to the import.

    The file and the rows read from it live in the default storage only until the
    import is done; its preview stays for the summary, and the row keeps the counts,
    for the audit log and for "the import a redirect came from", both for
    ``IMPORT_RETENTION_DAYS`` after it finished. ``redirects_import`` keeps no file.
    """

    original_name = models.CharField(verbose_name=_("file name"), max_length=255)
    file = models.FileField(upload_to=_import_upload_path, max_length=255, blank=True)
    preview_file = models.FileField(upload_to=_import_upload_path, max_length=255, blank=True)
    # The rows the upload read, for the preview and the confirm (the file is parsed once).
    rows_file = models.FileField(upload_to=_import_upload_path, max_length=255, blank=True)
    options = models.JSONField(default=dict)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=16,
        choices=ImportStatus.choices,
        default=ImportStatus.UPLOADED,
    )
    total_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    problem = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(verbose_name=_("imported at"), null=True, blank=True)
    # When its job (queued, previewing or importing) last said it was alive: one silent
    # for ``IMPORT_HEARTBEAT_TIMEOUT`` is gone (its worker was killed) and can be retried.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("redirect import")
        verbose_name_plural = _("redirect imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in (
            ImportStatus.UPLOADED,
            ImportStatus.PREVIEWING,
            ImportStatus.IMPORTING,
        )


class WriteLock(models.Model):
    """A row whose update makes writers of one kind take turns (see ``locks.hold``)."""

    name = models.CharField(max_length=64, primary_key=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("write lock")
        verbose_name_plural = _("write locks")

    def __str__(self) -> str:
        return self.name


class ChangeStamp(models.Model):
    """The latest change of one kind of data ("redirects", "windows", "pages"): every
    process compares it with what it derived its memory from (see ``resolution.stamps``).
    Kept in the database, so that processes see each other's changes whatever the cache."""

    name = models.CharField(max_length=16, primary_key=True)
    stamp = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("change stamp")
        verbose_name_plural = _("change stamps")

    def __str__(self) -> str:
        return f"{self.name}: {self.stamp}"


# The 404 log's models live in their capability package; importing them here registers them.
from .not_found.models import NotFoundDropped, NotFoundIgnoreRule, NotFoundPath  # noqa: E402, F401
