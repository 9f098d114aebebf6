"""API router: governance — decision rights, cases and decisions, customer dialogue and
the advisory council (one module per topic). The same services and visibility rules as
the pages."""

from ninja import Router

from felles.governance.api import cases, council, dialogue, rights
from felles.governance.api.cases import CaseActionIn, CaseIn

__all__ = ["CaseActionIn", "CaseIn", "router"]

TOPICS = (rights.router, cases.router, dialogue.router, council.router)

router = Router()
for topic in TOPICS:
    # Operation ids stay those of the one module the API grew from
    # ("felles_governance_api_<function>"): clients generated from docs/openapi.json keep
    # their method names.
    for path in topic.path_operations.values():
        for operation in path.operations:
            operation.operation_id = operation.operation_id or (
                "felles_governance_api_" + operation.view_func.__name__
            )
    router.add_router("", topic)
