from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "felles.governance"
    label = "governance"
    verbose_name = "Styring"

    def ready(self) -> None:
        from felles.costing import events as costing_events
        from felles.governance import selectors  # registers who sees what

        # A price-list approval may rest on a decision in the published decision log.
        costing_events.decided_cases.answer_with(lambda: selectors.decision_log())
