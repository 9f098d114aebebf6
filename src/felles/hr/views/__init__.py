"""HR pages: statistics and surveys (views.statistics), recruitment and salary changes
(views.work)."""

from felles.hr.views.statistics import (
    compare,
    import_statistics,
    import_survey,
    index,
    ministry,
    survey,
)
from felles.hr.views.work import recruitment, recruitments, salary_change, salary_changes

__all__ = [
    "compare",
    "import_statistics",
    "import_survey",
    "index",
    "ministry",
    "recruitment",
    "recruitments",
    "salary_change",
    "salary_changes",
    "survey",
]
