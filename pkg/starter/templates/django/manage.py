#!/usr/bin/env python3
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hookproject.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "runserver":
        # Refuse to start without the secret, as wsgi.py does.
        from hospitable_webhook import secret_from_env

        secret_from_env()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
