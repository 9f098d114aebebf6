from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "felles.tasks"
    label = "tasks"
    verbose_name = "Oppgavelister"

    def ready(self) -> None:
        from felles.orders import events as order_events
        from felles.tasks import selectors, services, views

        # An order gets its checklist when it reaches the provider; a required task still
        # open blocks resolving; the order page shows the checklist.
        order_events.order_queued.subscribe(
            lambda *, order: services.create_order_tasks(order), key="tasks.create"
        )
        order_events.resolve_blockers.answer_with(selectors.resolve_blockers, key="tasks.required")
        order_events.order_task_section.answer_with(views.order_section)
        order_events.queue_task_progress.answer_with(selectors.queue_progress)
        # The checklist's API lives under the orders router (/orders/{id}/tasks).
        from felles.orders.api import router as orders_router
        from felles.tasks import api

        orders_router.add_router("", api.router)
