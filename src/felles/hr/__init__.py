"""HR as a shared service under model 1: aggregated HR statistics and employee-survey results
(small cells suppressed), recruitment progress and personnel-administration messages."""
