"""WSGI entry point: gunicorn hookproject.wsgi (see the Procfile)."""
import os

from django.core.wsgi import get_wsgi_application

from hospitable_webhook import secret_from_env

# Refuse to start without the webhook secret, with a message saying what to
# set, rather than answer every delivery 401.
secret_from_env()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hookproject.settings")
application = get_wsgi_application()
