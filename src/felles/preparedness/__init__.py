"""Security and preparedness work under model 3: risk and vulnerability analyses, incidents,
exercises, emergency stock, graded procurements and the yearly self-report. Metadata only."""
