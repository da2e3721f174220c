"""The test settings less the app named in WRT_REMOVE_APP, or with ours listed first when
WRT_OURS_FIRST is set: for the system checks on INSTALLED_APPS, run in a child process."""

import os

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != os.environ.get("WRT_REMOVE_APP")]
if os.environ.get("WRT_OURS_FIRST"):
    INSTALLED_APPS = [
        "wagtail_redirect_tools",
        *(app for app in INSTALLED_APPS if app != "wagtail_redirect_tools"),
    ]
