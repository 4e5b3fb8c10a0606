"""The `ventanilla` console script: runs any Django management command (`ventanilla migrate`).

It reads the local `.env` that `make demo` writes (ventanilla/envfile.py) before the settings load, so
the commands in the README work as written on a demo checkout; the real environment wins over it.
"""

import os
import sys


def main() -> None:
    from ventanilla import envfile

    envfile.load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ventanilla", *sys.argv[1:]])


if __name__ == "__main__":
    main()
