"""Settings shared by every deployment.

Everything that differs between deployments is read here, once, from ``NEWSDESK_*`` environment
variables (documented in the README). Unset means the embedded default: an SQLite file in the
working folder, an in-process cache and console e-mail.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from newsdesk.core.config import (
    env_bool,
    env_int,
    env_list,
    parse_cache_url,
    parse_database_url,
    parse_email_url,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
DATA_DIR = Path(os.environ.get("NEWSDESK_DATA_DIR", "") or Path.cwd()).resolve()

NEWSDESK_ENV = os.environ.get("NEWSDESK_ENV", "development")
SECRET_KEY = os.environ.get("NEWSDESK_SECRET_KEY", "")
DEBUG = env_bool("NEWSDESK_DEBUG", False)
ALLOWED_HOSTS = env_list("NEWSDESK_ALLOWED_HOSTS", [])
BASE_URL = os.environ.get("NEWSDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("NEWSDESK_SITE_NAME", "Newsdesk")
SITE_LANGUAGE = os.environ.get("NEWSDESK_LANGUAGE", "en")
# Lets several checkouts run their test suites against one PostgreSQL server side by side.
TEST_PREFIX = os.environ.get("NEWSDESK_TEST_PREFIX", "")

INSTALLED_APPS = [
    "newsdesk.core",
    "newsdesk.news",
    "newsdesk.delivery",
    "newsdesk.readership",
    "newsdesk.editorial",
    "newsdesk.syndication",
    "newsdesk.mobile",
    "newsdesk.comments",
    "newsdesk.search",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers If-None-Match and If-Modified-Since for pages the page cache serves (it only
    # knew If-None-Match); feeds and sitemaps need both for feed readers and crawlers.
    "django.middleware.http.ConditionalGetMiddleware",
    "newsdesk.delivery.middleware.PageCacheMiddleware",
    "newsdesk.mobile.middleware.ClientHintsMiddleware",
    "newsdesk.core.middleware.DatabaseUnavailableMiddleware",
    "newsdesk.core.sites.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "newsdesk.editorial.middleware.TwoFactorMiddleware",
    "newsdesk.core.routers.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# NEWSDESK_DATABASE_URL: postgres://user:pass@host:port/name; unset means an SQLite file.
SQLITE_PATH = DATA_DIR / "newsdesk.sqlite3"
DATABASES = {
    "default": parse_database_url(
        "NEWSDESK_DATABASE_URL",
        os.environ.get("NEWSDESK_DATABASE_URL", ""),
        default_sqlite=SQLITE_PATH,
    )
}
_replicas = env_list("NEWSDESK_DATABASE_REPLICA_URLS", [])
for _number, _url in enumerate(_replicas, start=1):
    DATABASES[f"replica{_number}"] = parse_database_url(
        "NEWSDESK_DATABASE_REPLICA_URLS", _url, default_sqlite=None
    )
DATABASE_REPLICAS = [name for name in DATABASES if name.startswith("replica")]
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["newsdesk.core.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# NEWSDESK_REDIS_URL: redis://host:port/db; unset means an in-process cache.
REDIS_URL = os.environ.get("NEWSDESK_REDIS_URL", "")
CACHES = {"default": parse_cache_url("NEWSDESK_REDIS_URL", REDIS_URL)}

# --- Sessions, auth --------------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Sign-in throttling (django-axes): failures are counted in the database, so every process and
# machine shares them; an account and an address are each locked after too many failures.
AUTHENTICATION_BACKENDS = [
    "newsdesk.editorial.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("NEWSDESK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSDESK_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "editorial/lockout.html"
AXES_CLIENT_IP_CALLABLE = "newsdesk.editorial.auth.client_ip"
AXES_VERBOSE = False
# How many proxies in front append to X-Forwarded-For; 0 trusts only the socket address.
NEWSDESK_TRUSTED_PROXIES = env_int("NEWSDESK_TRUSTED_PROXIES", 0)
OTP_TOTP_ISSUER = SITE_NAME

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("NEWSDESK_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("NEWSDESK_STATIC_ROOT", "") or DATA_DIR / "static_collected")
MEDIA_URL = os.environ.get("NEWSDESK_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("NEWSDESK_MEDIA_ROOT", "") or DATA_DIR / "media")
# The embedded default serves uploads itself; production puts them behind the proxy or a CDN.
SERVE_MEDIA = env_bool("NEWSDESK_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail ---------------------------------------------------------------------------------
# NEWSDESK_EMAIL_URL: smtp://user:pass@host:port (smtp+tls://, smtp+ssl://); unset = console.
vars().update(parse_email_url("NEWSDESK_EMAIL_URL", os.environ.get("NEWSDESK_EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get("NEWSDESK_FROM_EMAIL", "newsdesk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    # The Wagtail admin relies on inline scripts; it is for signed-in staff only.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https:"],
        "media-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
    "browsing-topics": [],
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NEWSDESK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "news.NewsImage"
# Wagtail's database search, per engine: SQLite FTS5 (Porter stemming) in the embedded default,
# PostgreSQL full-text search with the English configuration in production (newsdesk.search).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "newsdesk.search.backends", "SEARCH_CONFIG": "english"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "bmp": "png", "webp": "webp"}
# A slug change of a published page keeps the old address working (a permanent redirect).
WAGTAILREDIRECTS_AUTO_CREATE = True

# --- App server (newsdesk serve) -------------------------------------------------------------
NEWSDESK_HOST = os.environ.get("HOST", "127.0.0.1")
NEWSDESK_PORT = env_int("PORT", 8000)
NEWSDESK_WORKERS = env_int("NEWSDESK_WORKERS", 0)  # 0: chosen from the cores and the cache
NEWSDESK_THREADS = env_int("NEWSDESK_THREADS", 8)
NEWSDESK_ACCESS_LOG = os.environ.get("NEWSDESK_ACCESS_LOG", "")

# --- Newsdesk -------------------------------------------------------------------------------
NEWSDESK_PAGE_SIZE = env_int("NEWSDESK_PAGE_SIZE", 20)
# Whole pages for anonymous readers: kept this long in the app's cache (purged exactly on
# change), and this long in a front cache or CDN (s-maxage).
NEWSDESK_PAGE_CACHE_SECONDS = env_int("NEWSDESK_PAGE_CACHE_SECONDS", 600)
NEWSDESK_FRONT_CACHE_SECONDS = env_int("NEWSDESK_FRONT_CACHE_SECONDS", 60)
# Front caches (Varnish, nginx with purging) that receive HTTP PURGE requests on every change,
# e.g. "http://127.0.0.1:6081"; Cloudflare purges too when its zone and token are given.
WAGTAILFRONTENDCACHE = {
    f"http{number}": {"BACKEND": "newsdesk.delivery.frontend.TimedHTTPBackend", "LOCATION": url}
    for number, url in enumerate(env_list("NEWSDESK_FRONTEND_CACHE_URLS", []))
}
if os.environ.get("NEWSDESK_CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["NEWSDESK_CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ.get("NEWSDESK_CLOUDFLARE_TOKEN", ""),
    }
# Requests carrying these cookies get freshly rendered pages (besides the session cookie):
# a recent write, a reader's own held comments, a commenter's saved name and e-mail.
NEWSDESK_PERSONAL_COOKIES = ["newsdesk_wrote", "newsdesk_comments_held", "newsdesk_comment_author"]
NEWSDESK_RESERVED_SLUGS = [
    "_device",
    "admin",
    "authors",
    "comments",
    "corrections",
    "django-admin",
    "documents",
    "feed",
    "healthz",
    "m",
    "media",
    "news-sitemap.xml",
    "readership",
    "robots.txt",
    "search",
    "sitemap.xml",
    "static",
    "tags",
]

# Addresses of our own reverse proxies: their X-Forwarded-For names the reader (rate limits,
# de-duplication). gunicorn trusts the same list for X-Forwarded-Proto.
NEWSDESK_FORWARDED_ALLOW_IPS = env_list("NEWSDESK_FORWARDED_ALLOW_IPS", ["127.0.0.1"])
# Tiny, frequent endpoints served before Django's middleware (newsdesk.core.fastpath).
NEWSDESK_FAST_PATHS = {
    "/readership/view": "newsdesk.readership.beacon.wsgi_view",
    "/_device": "newsdesk.mobile.views.wsgi_device",
}

# --- Readership (view counting, trending) ----------------------------------------------------
# Views wait in Redis until the worker writes them to hourly counts this often; a Redis crash
# loses at most this many seconds of views. Without Redis, views are written at once.
NEWSDESK_READERSHIP_FLUSH_SECONDS = env_int("NEWSDESK_READERSHIP_FLUSH_SECONDS", 60)
# Beacon requests per minute from one address (a flood of fake visitors is bounded by it).
NEWSDESK_READERSHIP_RATE_LIMIT = env_int("NEWSDESK_READERSHIP_RATE_LIMIT", 120)
NEWSDESK_READERSHIP_DEDUP_SECONDS = 30 * 60
READERSHIP_STORES = {
    "default": (
        {"BACKEND": "newsdesk.readership.stores.RedisStore", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "newsdesk.readership.stores.DatabaseStore"}
    )
}


# --- Comments --------------------------------------------------------------------------------
# Close an article to new comments this many days after publication (0: never).
NEWSDESK_COMMENTS_CLOSE_AFTER_DAYS = env_int("NEWSDESK_COMMENTS_CLOSE_AFTER_DAYS", 0)
# Commenters' IP addresses and user agents are blanked after this many days.
NEWSDESK_COMMENTS_IP_RETENTION_DAYS = env_int("NEWSDESK_COMMENTS_IP_RETENTION_DAYS", 60)


def require(name: str, value: object) -> None:
    """Stop start-up with one sentence when a production setting is missing."""
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when NEWSDESK_ENV=production.")
