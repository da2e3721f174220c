"""The multilingual test site with wagtail-localize in place of simple_translation
(issue 30). wagtail-localize is not one of the package's test requirements: these
settings are for a venv that has it (``pip install wagtail-localize``)::

    DJANGO_SETTINGS_MODULE=tests.settings_i18n_localize python -m pytest -m i18n \\
        tests/test_i18n_localize.py
"""

from tests.settings_i18n import *  # noqa: F403
from tests.settings_i18n import INSTALLED_APPS

INSTALLED_APPS = [
    app
    for app in INSTALLED_APPS
    if app not in ("wagtail.locales", "wagtail.contrib.simple_translation")
]
INSTALLED_APPS[INSTALLED_APPS.index("wagtail.admin") : 0] = [
    "wagtail_localize",
    "wagtail_localize.locales",
]
