from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "felles.notices"
    label = "notices"
    verbose_name = "Kunngjøringer"

    def ready(self) -> None:
        from felles.guidelines import events as guideline_events
        from felles.notices import selectors, services

        _ = selectors  # registers who sees notices
        guideline_events.version_adopted.subscribe(
            services.announce_guideline, key="notices.announce_guideline"
        )
