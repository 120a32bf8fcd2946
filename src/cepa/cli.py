"""The `cepa` command: Django's management commands plus the registry's own, and what those share."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys

from django.core.management.base import CommandError

from cepa.errors import EXIT_BAD_INPUT
from cepa.records import parse_timestamp

# Commands that work on a database that has not been prepared yet.
WITHOUT_DATABASE = {
    "help", "--help", "-h", "version", "--version",
    "migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations",
    "schema", "collectstatic", "compilemessages", "makemessages", "findstatic", "diffsettings",
    "test", "shell", "dbshell", "startapp", "startproject", "sendtestemail",
    "restore",
}
QUESTIONS = {"testing", "inspection", "designation", "enquiry", "certificate"}

EXIT_NOT_PREPARED = 3


def needs_database(argv: list[str]) -> bool:
    if len(argv) < 2:
        return False
    command = argv[1]
    if command == "check":
        return len(argv) > 2 and argv[2] in QUESTIONS
    return command not in WITHOUT_DATABASE


def database_is_prepared() -> tuple[bool, str]:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # an unreachable server is reported the same way
        return False, f"the database cannot be used ({error.__class__.__name__}: {error})"
    if plan:
        return False, f"the database is not prepared ({len(plan)} migrations not applied)"
    return True, ""


def cli_actor() -> str:
    """The actor the history records for a change made from the command line."""
    return f"cli:{getpass.getuser()}"


def parse_moment(value: str, option: str = "--now") -> dt.datetime:
    """A timestamp given to a command: ISO 8601; without an offset it is Beijing / Hong Kong time."""
    try:
        return parse_timestamp(value)
    except ValueError as error:
        raise CommandError(
            f"{option}: not an ISO 8601 timestamp: {value!r}", returncode=EXIT_BAD_INPUT
        ) from error


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "cepa"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cepa.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    if needs_database(argv):
        prepared, problem = database_is_prepared()
        if not prepared:
            sys.stderr.write(f"cepa: {problem}: run `cepa migrate` first\n")
            raise SystemExit(EXIT_NOT_PREPARED)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
