#!/usr/bin/env python
"""The sandbox's manage.py. Start the demo site with: python sandbox/manage.py runsandbox"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
