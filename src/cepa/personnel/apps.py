from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "cepa.personnel"
    label = "personnel"

    def ready(self) -> None:
        # The register's own permissions join the project's named permissions.
        from cepa.personnel import permissions  # noqa: F401
