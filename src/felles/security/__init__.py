"""Personnel security under model 3 (seed 3361–3392): the ministries' registers of
authorisations, security clearances and non-disclosure declarations, their reminders and
their disposal. Metadata only: Felles never holds graded information."""
