"""The `ventanilla` console script: runs any Django management command (`ventanilla migrate`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ventanilla", *sys.argv[1:]])


if __name__ == "__main__":
    main()
