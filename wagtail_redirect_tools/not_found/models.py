"""The 404 log as stored: one row per (site, path), and the editors' ignore rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotFoundPath(models.Model):
    """A path of a site that answered 404 with no redirect: how often, since when."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    path = models.CharField(
        _("path"),
        max_length=255,
        help_text=_("As a redirect's old path is stored, e.g. /old-news/2019"),
    )
    hits = models.PositiveIntegerField(_("hits"), default=0)
    bot_hits = models.PositiveIntegerField(
        _("bot hits"), default=0, help_text=_("Hits whose user agent named a known bot.")
    )
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"), db_index=True)
    referrers = models.JSONField(
        _("referrers"),
        default=list,
        blank=True,
        help_text=_("A few pages that linked here, host and path only, e.g. example.com/news"),
    )

    class Meta:
        app_label = "wagtail_redirect_tools"
        verbose_name = _("not found path")
        verbose_name_plural = _("not found paths")
        constraints = [
            models.UniqueConstraint(fields=["site", "path"], name="wrt_not_found_site_path"),
        ]
        indexes = [
            # The report's first page and the dashboard's five most hit, read in this
            # order and stopped after a page (not every row sorted): most hit first, then
            # by path. Read backwards it is the report's "fewest hits" order.
            models.Index(fields=["-hits", "path", "id"], name="wrt_not_found_most_hit"),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def probably_bot(self) -> bool:
        """Every hit came from a known bot."""
        return self.hits > 0 and self.bot_hits >= self.hits


class NotFoundDropped(models.Model):
    """What ``NOT_FOUND_KEEP_PATHS`` left out of one site's log: the least-hit paths
    dropped to keep it at the bound (mostly a scanner's, one bot hit each), in total."""

    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    paths = models.PositiveBigIntegerField(_("paths dropped"), default=0)
    hits = models.PositiveBigIntegerField(_("their hits"), default=0)
    bot_hits = models.PositiveBigIntegerField(_("their bot hits"), default=0)
    since = models.DateTimeField(_("dropping since"))
    last_dropped_at = models.DateTimeField(_("last dropped"))

    class Meta:
        app_label = "wagtail_redirect_tools"
        verbose_name = _("dropped 404 paths")
        verbose_name_plural = _("dropped 404 paths")

    def __str__(self) -> str:
        return f"{self.paths} paths of site {self.site_id}"


class IgnoreMatch(models.TextChoices):
    EXACT = "exact", _("The path exactly")
    PREFIX = "prefix", _("Paths starting with")
    SUFFIX = "suffix", _("Paths ending with")


class NotFoundIgnoreRule(models.Model):
    """404 paths editors chose not to see (nor log from now on)."""

    match = models.CharField(
        _("match"), max_length=10, choices=IgnoreMatch.choices, default=IgnoreMatch.PREFIX
    )
    pattern = models.CharField(
        _("pattern"),
        max_length=255,
        help_text=_("A path or its start (e.g. /wp-content) or its end (e.g. .asp)"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        app_label = "wagtail_redirect_tools"
        verbose_name = _("404 ignore rule")
        verbose_name_plural = _("404 ignore rules")
        constraints = [
            models.UniqueConstraint(fields=["match", "pattern"], name="wrt_not_found_ignore_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.get_match_display()} {self.pattern}"

    @classmethod
    def all_rules(cls) -> list[tuple[str, str]]:
        return list(cls.objects.values_list("match", "pattern"))
