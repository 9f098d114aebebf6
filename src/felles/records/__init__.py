"""Archive work under model 2 and the ministry's information-management coordinator: archive
jobs, test reports, retention decisions, the yearly archive plan, spot checks and
inspections."""
