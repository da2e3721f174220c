"""System checks for the apps, middleware and settings this package relies on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from django.utils.module_loading import import_string

from . import conf

OUR_MIDDLEWARE = "wagtail_redirect_tools.middleware.RedirectMiddleware"
CORE_MIDDLEWARE = "wagtail.contrib.redirects.middleware.RedirectMiddleware"

# Middleware whose process_response turns a 404 into a redirect of its own (an
# added slash, a language prefix). Ours must see the 404 first, so it has to be
# listed *after* them: responses travel up the MIDDLEWARE list.
MIDDLEWARE_TO_FOLLOW = (
    "django.middleware.common.CommonMiddleware",
    "django.middleware.locale.LocaleMiddleware",
)


def check_installed_apps(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if not apps.is_installed("wagtail.contrib.redirects"):
        errors.append(
            checks.Error(
                "wagtail_redirect_tools needs Wagtail's redirects app.",
                hint="Add 'wagtail.contrib.redirects' to INSTALLED_APPS.",
                id="wagtail_redirect_tools.E001",
            )
        )
    if not apps.is_installed("import_export"):
        errors.append(
            checks.Error(
                "wagtail_redirect_tools needs django-import-export for importing and exporting.",
                hint="Add 'import_export' to INSTALLED_APPS.",
                id="wagtail_redirect_tools.E002",
            )
        )
    labels = [config.label for config in apps.get_app_configs()]
    if "wagtailredirects" in labels and labels.index("wagtail_redirect_tools") < labels.index(
        "wagtailredirects"
    ):
        errors.append(
            checks.Error(
                "wagtail_redirect_tools is listed before wagtail.contrib.redirects in "
                "INSTALLED_APPS, so Wagtail's own automatic redirects would run as well as ours.",
                hint="List 'wagtail_redirect_tools' after 'wagtail.contrib.redirects'.",
                id="wagtail_redirect_tools.E008",
            )
        )
    return errors


def _middleware_class(path: str) -> object:
    try:
        return import_string(path)
    except ImportError:
        return None  # Django's own checks and start-up report a middleware that can't load.


def _is_middleware(path: str, base_path: str) -> bool:
    if path == base_path:
        return True
    cls, base = _middleware_class(path), _middleware_class(base_path)
    return isinstance(cls, type) and isinstance(base, type) and issubclass(cls, base)


def check_middleware(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    middleware = list(conf.middleware())
    ours = [i for i, path in enumerate(middleware) if _is_middleware(path, OUR_MIDDLEWARE)]
    core = [path for path in middleware if _is_middleware(path, CORE_MIDDLEWARE)]

    errors: list[checks.CheckMessage] = []
    if ours and core:
        errors.append(
            checks.Error(
                "Both Wagtail's and wagtail_redirect_tools' RedirectMiddleware are installed.",
                hint=f"Ours replaces core's: remove {', '.join(core)} from MIDDLEWARE.",
                id="wagtail_redirect_tools.E003",
            )
        )
    if not ours:
        errors.append(
            checks.Warning(
                "wagtail_redirect_tools is installed but its RedirectMiddleware is not, "
                "so scheduled redirects are never served.",
                hint=(
                    f"Add '{OUR_MIDDLEWARE}' to MIDDLEWARE"
                    + (f" in place of {', '.join(core)}." if core else ".")
                ),
                id="wagtail_redirect_tools.W004",
            )
        )
    for path in MIDDLEWARE_TO_FOLLOW:
        if path in middleware and ours and ours[0] < middleware.index(path):
            errors.append(
                checks.Warning(
                    f"{OUR_MIDDLEWARE} is listed before {path}, which then turns a 404 into "
                    "a redirect of its own before ours sees it (an extra hop for visitors).",
                    hint=f"Move '{OUR_MIDDLEWARE}' below '{path}' in MIDDLEWARE.",
                    id="wagtail_redirect_tools.W005",
                )
            )
    return errors


def check_settings(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"{setting.full_name} is {value!r}; it must be {setting.expected}.",
            hint=f"Its default is {setting.default!r}.",
            id="wagtail_redirect_tools.E006",
        )
        for setting, value in conf.validate()
    ]
    errors.extend(
        checks.Warning(
            f"{name} is not a setting of wagtail_redirect_tools and has no effect.",
            hint="Known settings: " + ", ".join(s.full_name for s in conf.SETTINGS.values()),
            id="wagtail_redirect_tools.W007",
        )
        for name in conf.unknown_names()
    )
    return errors


# Cache backends whose entries no other process sees.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def check_deployment_mode(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Say how processes learn of each other's changes on this site. Redirects are right
    either way (the change stamps are in the database); what a per-process cache costs is
    the progress of an import that a separate worker runs."""
    alias = conf.cache_alias()
    backend = conf.cache_backend()
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Info(
            f"The cache '{alias}' ({backend.rsplit('.', 1)[-1]}) is local to each process: "
            "changes to redirects and scheduled redirects reach every process through the "
            "database, within WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS "
            f"({conf.index_check_seconds():g} s); the progress bar of an import that a "
            "separate worker runs stays empty.",
            hint="Several app servers or a worker: use a shared cache such as Redis (see "
            "'Deploying' in the documentation).",
            id="wagtail_redirect_tools.I009",
        )
    ]
