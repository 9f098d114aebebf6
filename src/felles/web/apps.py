from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "felles.web"
    label = "web"
    verbose_name = "Felles web"

    def ready(self) -> None:
        from felles.core import mail
        from felles.organisations.selectors import is_administrator

        # Failed e-mail on the jobs page: the administrators may send it again.
        mail.operators.answer_with(is_administrator)
