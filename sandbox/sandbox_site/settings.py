"""Settings of the sandbox: a demo Wagtail site with wagtail-redirect-tools installed.

The council's site is in English and, for a few pages, Welsh (``/cy/...``):
``WAGTAIL_I18N_ENABLED`` with ``wagtail.locales`` and ``wagtail.contrib.simple_translation``,
pages under ``i18n_patterns(prefix_default_language=False)`` (sandbox_site/urls.py), so
English URLs have no prefix.

Default: an SQLite file (sandbox/db.sqlite3) and Django's local-memory cache, no
server needed. Environment variables switch it to real servers:

- ``WRT_DATABASE=postgres``: PostgreSQL (PGHOST, PGPORT, PGUSER, PGPASSWORD; database
  ``PGDATABASE``, default ``wagtail_redirect_tools_sandbox``, created if missing);
- ``WRT_DATABASE=mariadb``: MariaDB or MySQL (MYSQL_HOST, MYSQL_PORT, MYSQL_USER,
  MYSQL_PASSWORD; database ``MYSQL_DATABASE``, default ``wagtail_redirect_tools_sandbox``,
  created if missing, in the collation ``WRT_MYSQL_COLLATION`` if set (e.g. utf8mb4_bin);
  needs the ``mysql`` extra);
- ``WRT_CACHE=redis``: Redis at ``WRT_REDIS_URL`` (default redis://127.0.0.1:6379/1);
- ``WRT_CACHE=file``: a file-based cache in ``WRT_SANDBOX_CACHE_DIR`` (default
  wagtail-redirect-tools-sandbox-cache in the system's temporary directory), which
  separate processes (server and worker) share without a cache server;
- ``WRT_TASKS=database``: background jobs are queued in the database (django-tasks-db)
  for a worker, ``python manage.py db_worker``, instead of running at once in the request.

Others change where the sandbox keeps things (the tests use them):

- ``WRT_SANDBOX_SQLITE``: the SQLite file (default sandbox/db.sqlite3);
- ``WRT_SANDBOX_MEDIA``: MEDIA_ROOT, where uploads go (default sandbox/media/);
- ``WRT_SANDBOX_IMPORT_ASYNC_ROWS``: ``WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_ROWS``, the
  number of rows above which an import file is previewed and imported by background
  jobs (default: the app's own, 5000).
"""

import os
import tempfile
from pathlib import Path

SANDBOX_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("WRT_SANDBOX_SECRET_KEY", "sandbox-only-not-secret")
DEBUG = os.environ.get("WRT_SANDBOX_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "demo",
    "wagtail.contrib.redirects",
    "wagtail_redirect_tools",
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "import_export",
    "django_tasks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its URL's prefix (/cy/...; English has none).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # In place of wagtail.contrib.redirects.middleware.RedirectMiddleware:
    "wagtail_redirect_tools.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sandbox_site.urls"
WSGI_APPLICATION = "sandbox_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("WRT_DATABASE", "sqlite") == "postgres":
    # Wagtail's search index uses PostgreSQL's full-text fields there.
    INSTALLED_APPS.append("django.contrib.postgres")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "wagtail_redirect_tools_sandbox"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
        }
    }
elif os.environ.get("WRT_DATABASE", "sqlite") == "mariadb":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("MYSQL_DATABASE", "wagtail_redirect_tools_sandbox"),
            "USER": os.environ.get("MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("MYSQL_PASSWORD", ""),
            "HOST": os.environ.get("MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("MYSQL_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
        }
    }
    # The database's collation when runsandbox creates it (default: the server's).
    SANDBOX_MYSQL_COLLATION = os.environ.get("WRT_MYSQL_COLLATION", "")
    if SANDBOX_MYSQL_COLLATION:  # the connection's too (MariaDB refuses Django's migrations)
        DATABASES["default"]["OPTIONS"]["collation"] = SANDBOX_MYSQL_COLLATION
    # Wagtail's WorkflowState has a conditional unique constraint MariaDB cannot hold;
    # Django warns about it on every MariaDB site. Nothing of ours depends on it.
    SILENCED_SYSTEM_CHECKS = ["models.W036"]
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("WRT_SANDBOX_SQLITE", str(SANDBOX_DIR / "db.sqlite3")),
        }
    }

if os.environ.get("WRT_CACHE", "locmem") == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("WRT_REDIS_URL", "redis://127.0.0.1:6379/1"),
            "KEY_PREFIX": "wrt-sandbox",
        }
    }
elif os.environ.get("WRT_CACHE") == "file":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("WRT_SANDBOX_CACHE_DIR")
            or os.path.join(tempfile.gettempdir(), "wagtail-redirect-tools-sandbox-cache"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("WRT_TASKS") == "database":
    # A real queue in the database, run by ``python manage.py db_worker`` (django-tasks-db).
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = []

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# The council's pages in English (no URL prefix) and some in Welsh (under /cy/).
WAGTAIL_I18N_ENABLED = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en-gb", "English"), ("cy", "Welsh")]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = SANDBOX_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("WRT_SANDBOX_MEDIA") or SANDBOX_DIR / "media")

WAGTAIL_SITE_NAME = "wagtail-redirect-tools sandbox"
WAGTAILADMIN_BASE_URL = "http://localhost:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
if os.environ.get("WRT_SANDBOX_IMPORT_ASYNC_ROWS"):
    WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_ROWS = int(os.environ["WRT_SANDBOX_IMPORT_ASYNC_ROWS"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # expiry notices print here
