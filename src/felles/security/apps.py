from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "felles.security"
    label = "security"
    verbose_name = "Personellsikkerhet"

    def ready(self) -> None:
        from felles.orders import events as order_events
        from felles.security import (
            jobs,  # noqa: F401 - registers the scan and disposal jobs
            selectors,  # noqa: F401 - the register's visibility rule
            workflow,
        )

        # A resolved re-clearance order closes its draft and ends the renewed clearance;
        # the offboarding bundle, finished, ends the person's authorisations.
        order_events.order_resolved.subscribe(workflow.on_order_resolved, key="security.renewal")
        order_events.status_changed.subscribe(workflow.on_status_changed, key="security.offboard")
        # A re-clearance order is resolved by recording its decision in the register.
        order_events.resolve_blockers.answer_with(
            workflow.resolve_blockers, key="security.reclearance"
        )
