#!/usr/bin/env python
"""Django's command-line utility for Turbine."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turbine.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 (Django convention: after the settings variable)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
