from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "felles.bundles"
    label = "bundles"
    verbose_name = "Samlebestillinger"

    def ready(self) -> None:
        from felles.bundles import selectors, services
        from felles.orders import events as order_events
        from felles.organisations import events as organisation_events

        # A parent order follows its children; the order page shows the links.
        order_events.status_changed.subscribe(services.follow_child, key="bundles.follow_child")
        order_events.order_links.answer_with(selectors.link_section)
        # A bundle is ordered on its own form.
        order_events.order_form_url.answer_with(selectors.order_form_url, key="bundles.form")
        # Cancelling a parent cancels the children that can still be cancelled.
        order_events.container_cancelled.subscribe(
            services.cancel_children, key="bundles.cancel_children"
        )
        # A bundle with its children in the API (/orders/{id}/bundle).
        from felles.bundles import api
        from felles.orders.api import router as orders_router

        orders_router.add_router("", api.router)
        # An onboarding order links to the new employee when the HR import brings them.
        organisation_events.people_imported.subscribe(
            services.link_imported_people, key="bundles.link_imported_people"
        )
