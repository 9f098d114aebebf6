from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "felles.core"
    label = "core"
    verbose_name = "Felles core"

    def ready(self) -> None:
        from felles.core.forms import install_plain_text_check

        install_plain_text_check()

        from felles.core import checkpoints, mail  # noqa: F401 - register their jobs
        from felles.core.audit_protection import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="felles-audit-guard")
