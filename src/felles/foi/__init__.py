"""FOI requests (innsynskrav) under model 2: intake from eInnsyn, preparation by DIO, decision
by the ministry, the law's deadlines (offentleglova) and exact statistics."""
