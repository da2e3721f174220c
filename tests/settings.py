"""Settings for the test suite.

SQLite and Django's local-memory cache by default. ``WRT_DATABASE=postgres`` switches
to the PostgreSQL server on 127.0.0.1:5432 and ``WRT_CACHE=redis`` to the Redis
server on 127.0.0.1:6379 (hosts, ports and users can be changed with PGHOST,
PGPORT, PGUSER, PGPASSWORD and WRT_REDIS_URL). ``WRT_TASKS=database`` queues background
jobs in the database for a ``db_worker`` process (django-tasks-db), as in production.
``WRT_DATABASE=mariadb`` uses the MariaDB (or MySQL) server on 127.0.0.1:3306 as root
(MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE change that), its
test database created with the collation ``WRT_MYSQL_COLLATION`` (default
``utf8mb4_general_ci``; CI runs the ``collation`` tests in each of ``COLLATIONS``).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "tests.testapp",
    "wagtail.contrib.redirects",
    "wagtail_redirect_tools",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail_redirect_tools.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "tests.urls"

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

#: The MariaDB/MySQL collations the ``collation`` tests run in (CI: one run each): the
#: server's default, Unicode's two, and the binary one sites choose for case-sensitive URLs.
COLLATIONS = ("utf8mb4_general_ci", "utf8mb4_unicode_ci", "utf8mb4_bin", "utf8mb4_unicode_520_ci")
MYSQL_COLLATION = os.environ.get("WRT_MYSQL_COLLATION") or COLLATIONS[0]

if os.environ.get("WRT_DATABASE", "sqlite") == "postgres":
    # Wagtail's search index uses PostgreSQL's full-text fields there.
    INSTALLED_APPS.append("django.contrib.postgres")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "wagtail_redirect_tools"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
        }
    }
elif os.environ.get("WRT_DATABASE", "sqlite") == "mariadb":
    # MariaDB or MySQL. By default the server's default (case-insensitive) collation, as
    # most sites have it: the package's migration makes its path columns case-sensitive.
    # The collations sites choose: WRT_MYSQL_COLLATION (one of tests.settings.COLLATIONS).
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("MYSQL_DATABASE", "wagtail_redirect_tools"),
            "USER": os.environ.get("MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("MYSQL_PASSWORD", ""),
            "HOST": os.environ.get("MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("MYSQL_PORT", "3306"),
            # The connection in the database's collation, as a site sets it (mysqlclient's
            # option): in another one MariaDB 10.11 refuses Django's own migrations (a
            # foreign key's ALTER TABLE: "Illegal mix of collations").
            "OPTIONS": {"charset": "utf8mb4", "collation": MYSQL_COLLATION},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": MYSQL_COLLATION},
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

if os.environ.get("WRT_CACHE", "locmem") == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("WRT_REDIS_URL", "redis://127.0.0.1:6379/0"),
            # One prefix per test process, so parallel runs never read each other's keys.
            # WRT_CACHE_PREFIX lets the servers of the multi-process test share one. A prefix
            # does not keep runs apart in clear(), which empties the whole Redis database
            # (FLUSHDB) before and after every test: runs at the same time need a database
            # each (WRT_REDIS_URL; CI's legs 4 and 6 use 4 and 6).
            "KEY_PREFIX": os.environ.get("WRT_CACHE_PREFIX") or f"wrt-tests-{os.getpid()}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("WRT_TASKS") == "database":
    # A real queue in the database and a real worker (``db_worker``): the multi-process test.
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "artifacts" / "static"
MEDIA_ROOT = BASE_DIR / "artifacts" / "media"
# WRT_MEDIA_ROOT keeps uploads in a folder, for tests where another process (a worker)
# reads what this one stored.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    if not os.environ.get("WRT_MEDIA_ROOT")
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["WRT_MEDIA_ROOT"]},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "wagtail-redirect-tools tests"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
