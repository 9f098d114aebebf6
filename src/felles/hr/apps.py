from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "felles.hr"
    label = "hr"
    verbose_name = "HR"

    def ready(self) -> None:
        from felles.hr import selectors
        from felles.orders import events as order_events

        # «Lønnsendring til DFØ» is sent on HR's own page, never as a plain order.
        order_events.order_form_url.answer_with(selectors.salary_form_url, key="hr.salary_change")
