"""Settings for the multilingual test site (issue 30): English, Welsh and French pages
served under ``i18n_patterns``, with ``wagtail.contrib.simple_translation``.

The tests marked ``i18n`` run only with these settings (``tests/conftest.py`` skips them
otherwise)::

    DJANGO_SETTINGS_MODULE=tests.settings_i18n python -m pytest -m i18n

``tests.urls_i18n`` prefixes every language (``/en/``, ``/cy/``, ``/fr/``);
``tests.urls_i18n_unprefixed`` serves English without a prefix
(``prefix_default_language=False``); tests switch with ``override_settings``.
"""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS, MIDDLEWARE

WAGTAIL_I18N_ENABLED = True
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("cy", "Welsh"), ("fr", "French")]

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.locales", "wagtail.contrib.simple_translation"]

# Django's place for it: after the session, before CommonMiddleware.
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "django.middleware.locale.LocaleMiddleware",
)

ROOT_URLCONF = "tests.urls_i18n"
