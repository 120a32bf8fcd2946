"""Django's `createsuperuser`, with the password validators also when the password comes from
DJANGO_SUPERUSER_PASSWORD (`--noinput`), which Django's own skips. `cepa user create NAME --role
admin` is the way to make an administrator (with a role and history); this one stays for habit."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from cepa.errors import EXIT_BAD_INPUT


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password is not None:
            User = get_user_model()
            username = options.get("username") or os.environ.get("DJANGO_SUPERUSER_USERNAME", "")
            try:
                validate_password(password, User(username=username))
            except ValidationError as error:
                raise CommandError(
                    "DJANGO_SUPERUSER_PASSWORD: " + " ".join(error.messages), returncode=EXIT_BAD_INPUT
                ) from error
        super().handle(*args, **options)
