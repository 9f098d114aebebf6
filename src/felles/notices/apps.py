from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "felles.notices"
    label = "notices"
    verbose_name = "Kunngjøringer"

    def ready(self) -> None:
        from felles.guidelines import events as guideline_events
        from felles.notices import selectors, services

        _ = selectors  # registers who sees notices
        # An adopted guideline version is announced to every ministry, in the same
        # transaction.
        guideline_events.version_adopted.subscribe(
            lambda *, version, actor: services.announce_guideline(version, actor),
            key="notices.announce_guideline",
        )
        # So is a withdrawn one (in force or on hearing), with the reason.
        guideline_events.version_withdrawn.subscribe(
            lambda *, version, before, reason, actor: services.announce_withdrawal(
                version, before, reason, actor
            ),
            key="notices.announce_withdrawal",
        )
