"""Settings of a minimal Django project that receives Hospitable webhooks."""
import os

# Django's own signing key, unrelated to the webhook secret. Set it in
# production.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

# The webhook secret, used byte for byte as the HMAC key (personal use: the
# base64 of your primary email). wsgi.py refuses to start without it.
HOSPITABLE_WEBHOOK_SECRET = os.environ.get("HOSPITABLE_WEBHOOK_SECRET", "")

# Hospitable documents no limit; deliveries are a few KB. Reading
# request.body above this raises RequestDataTooBig, answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

INSTALLED_APPS = ["webhooks"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "hookproject.urls"
WSGI_APPLICATION = "hookproject.wsgi.application"
DATABASES = {}
USE_TZ = True
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"webhooks": {"handlers": ["console"], "level": "INFO"}},
}
