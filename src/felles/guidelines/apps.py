from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "felles.guidelines"
    label = "guidelines"
    verbose_name = "Retningslinjer"

    def ready(self) -> None:
        from felles.governance import events as governance_events
        from felles.guidelines import selectors  # registers who sees versions

        # A case whose decision adopted a version is not reopened (docs/guidelines.md).
        governance_events.reopen_refusal.answer_with(selectors.reopen_refusal)
