#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    # Mistakes an operator fixes outside the code get one line, not a traceback (unless the
    # command was given Django's --traceback).
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        if "--traceback" in sys.argv:
            raise
        sys.exit(f"Configuration error: {error}")
    except DatabaseError as error:
        if "--traceback" in sys.argv:
            raise
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        sys.exit(
            f"Database error: {first_line}. Check DATABASE_URL, and that "
            "`python manage.py migrate` has been run."
        )


if __name__ == "__main__":
    main()
