"""The test settings less the app named in WRT_REMOVE_APP: for the missing-app system checks."""

import os

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != os.environ["WRT_REMOVE_APP"]]
