"""Which language a request path is served in on a multilingual site, and from which
root page its pages are routed, as Wagtail's ``serve`` view under ``i18n_patterns`` does:
the language prefix picks the locale (Django's ``LocaleMiddleware`` activates it), the
rest of the path is routed from that locale's translation of the site's root page.

Without ``WAGTAIL_I18N_ENABLED`` nothing here changes anything: no language is
activated, and every path is routed from the site's root page, as before."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant

from .. import conf
from .sites import site_root_paths


def language_prefix(language_code: str) -> str:
    """Where the pages of a language begin on a multilingual site, as Wagtail's
    ``Page.get_url_parts()`` makes their URLs: ``wagtail_serve`` reversed in that language
    (``/cy`` under ``i18n_patterns``; ``""`` for a default language without a prefix).
    ``""`` without ``WAGTAIL_I18N_ENABLED``, as before: no page URL is reversed there."""
    if not conf.i18n_enabled():
        return ""
    try:
        with translation.override(language_code):
            return str(reverse("wagtail_serve", args=("",))).rstrip("/")
    except NoReverseMatch:  # Wagtail serves no pages here (headless)
        return ""


def path_language(path: str) -> str | None:
    """The language a request for ``path`` is served in, as ``LocaleMiddleware`` activates
    it where pages are under ``i18n_patterns``: the language of its prefix, else the
    default language (unprefixed, or a path no language's pages answer). None without
    ``WAGTAIL_I18N_ENABLED`` or language-prefixed URLs: the active language stays."""
    if not conf.i18n_enabled() or not conf.use_i18n():
        return None
    from django.conf.urls.i18n import is_language_prefix_patterns_used

    prefixed, _prefixed_default = is_language_prefix_patterns_used(
        get_urlconf() or conf.root_urlconf()
    )
    if not prefixed:
        return None
    return translation.get_language_from_path(path) or default_language()


def default_language() -> str:
    try:
        return str(get_supported_language_variant(conf.language_code()))
    except LookupError:
        return conf.language_code()


@dataclass(frozen=True)
class LanguageRoot:
    """Where a path's page is looked for without routing: the ``url_path`` of the root page
    of the path's language on its site, and the path within that language's pages."""

    root_path: str
    path: str  # begins with "/"
    #: False for a path without the prefix its language's pages need (``/about/`` where
    #: every language has one): no page is served there (``LocaleMiddleware`` redirects
    #: it to the visitor's language); the root is then the default language's.
    served: bool = True


def language_root(site_id: int, path: str) -> LanguageRoot | None:
    """The root a path of site ``site_id`` is routed from (its language's translation of
    the site's root page, or the site's root page where that language has none), and the
    path without its language prefix; None when the site has no root."""
    roots = [root for root in site_root_paths() if root.site_id == site_id]
    if not roots:
        return None
    language = path_language(path)
    if language is None:
        return LanguageRoot(roots[0].root_path, path)
    prefix = language_prefix(language)
    served = not prefix or path == prefix or path.startswith(prefix + "/")
    if prefix and served:
        path = path[len(prefix) :] or "/"
    by_language = {root.language_code: root.root_path for root in roots}
    root_path = by_language.get(language) or by_language.get(default_language())
    return LanguageRoot(root_path or roots[0].root_path, path, served)


def prefixed_roots() -> list[tuple[int, str, str]]:
    """(site id, language prefix, root page ``url_path``) of each language with a prefix on
    each site, longest prefix first; empty without ``WAGTAIL_I18N_ENABLED``."""
    if not conf.i18n_enabled():
        return []
    found = [
        (root.site_id, language_prefix(root.language_code), root.root_path)
        for root in site_root_paths()
    ]
    return sorted((row for row in found if row[1]), key=lambda row: -len(row[1]))


@dataclass(frozen=True)
class RequestedLanguage:
    """The language a path is requested in, for a redirect that serves every language:
    its ``language`` code, the ``prefix`` its pages are under (``""`` for a default
    language without one) and the path ``without`` that prefix (begins with "/")."""

    language: str
    prefix: str
    without: str


def requested_language(path: str) -> RequestedLanguage | None:
    """The language of ``path``'s prefix (``/cy/old-page/`` is Welsh, ``/old-page/``), or
    with ``prefix_default_language=False`` the default language for a path with no
    language's prefix; None without ``WAGTAIL_I18N_ENABLED``, without language-prefixed
    URLs, or for an unprefixed path where every language has a prefix (no language is
    requested there: ``LocaleMiddleware`` picks one from the visitor)."""
    language = path_language(path)
    if language is None:
        return None
    prefix = language_prefix(language)
    if not prefix:
        return RequestedLanguage(language, "", path)
    if path == prefix or path.startswith(prefix + "/"):
        return RequestedLanguage(language, prefix, path[len(prefix) :] or "/")
    return None


def with_language_prefix(link: str, requested: RequestedLanguage) -> str:
    """A path ``link`` (``/new/``) under the requested language's prefix (``/cy/new/``),
    unless it carries a language's prefix already (``/en/new/``); a full URL, a
    protocol-relative one or a relative one stays as it is."""
    if not requested.prefix or not link.startswith("/") or link.startswith("//"):
        return link
    if translation.get_language_from_path(link) is not None:
        return link
    return requested.prefix + link


def language_prefixes() -> list[str]:
    """The prefix of each of Django's ``LANGUAGES`` that has one (``/cy``, ``/fr``, and
    ``/en`` unless the default language is unprefixed): where a redirect that serves every
    language answers. Empty without ``WAGTAIL_I18N_ENABLED`` or language-prefixed URLs."""
    if path_language("/") is None:
        return []
    found: list[str] = []
    for code, _name in conf.languages():
        prefix = language_prefix(code)
        if prefix and prefix not in found:
            found.append(prefix)
    return found


def redirect_language() -> Case:
    """The language a redirect belongs to, as SQL (to annotate, filter or sort a queryset
    of core's ``Redirect``): the language of its source path's prefix (``/cy/hen-dudalen``:
    ``cy``); a path without one is the default language's where that language's pages have
    no prefix (``i18n_patterns(prefix_default_language=False)``), else it has none (NULL).

    The one place this rule lives: the Redirects listing's Language column and its
    ``?locale=`` filter both read it. Codes are Wagtail's content languages (its locales).
    """
    whens = []
    for code in get_content_languages():
        prefix = language_prefix(code)
        if prefix:
            under = Q(old_path=prefix) | Q(old_path__startswith=prefix + "/")
            whens.append(When(under, then=Value(code)))
    default = get_supported_content_language_variant(conf.language_code())
    unprefixed = None if language_prefix(default) else default
    return Case(*whens, default=Value(unprefixed), output_field=CharField())
