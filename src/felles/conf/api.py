"""The JSON API under /api/v1/: one NinjaAPI, one router per app."""

from felles.agreements.api import router as agreements_router
from felles.catalog.api import router as catalog_router
from felles.core.api import build_api
from felles.core.api import router as core_router
from felles.costing.api import router as costing_router
from felles.foi.api import router as foi_router
from felles.governance.api import router as governance_router
from felles.guidelines.api import router as guidelines_router
from felles.hr.api import router as hr_router
from felles.invoicing.api import router as invoicing_router
from felles.notices.api import router as notices_router
from felles.orders.api import router as orders_router
from felles.organisations.api import router as organisations_router
from felles.portfolio.api import router as portfolio_router
from felles.preparedness.api import router as preparedness_router
from felles.records.api import router as records_router
from felles.rooms.api import router as rooms_router
from felles.security.api import router as security_router

api = build_api(
    title="Felles API",
    version="1",
    description=(
        "API for Felles, plattformen for departementsfellesskapets administrative "
        "fellestjenester. Autentisering: `Authorization: Bearer <nøkkel>` (opprett nøkkel "
        "under Min side → API-nøkler eller med `felles token create BRUKER`) eller innlogget "
        'økt. Feil svarer med `{"message": …, "errors": {felt: [meldinger]}}`.'
    ),
)
api.add_router("/", organisations_router)
api.add_router("/", catalog_router)
api.add_router("/", orders_router)
api.add_router("/", agreements_router)
api.add_router("/", governance_router)
api.add_router("/", portfolio_router)
api.add_router("/", costing_router)
api.add_router("/", invoicing_router)
api.add_router("/", security_router)
api.add_router("/", preparedness_router)
api.add_router("/", foi_router)
api.add_router("/", records_router)
api.add_router("/", guidelines_router)
api.add_router("/", notices_router)
api.add_router("/", rooms_router)
api.add_router("/", hr_router)
api.add_router("/", core_router)
