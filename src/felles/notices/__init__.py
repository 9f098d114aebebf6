"""Felles's notices to every ministry: service changes, prices, outages, guidelines and
decisions, pulled by the ministries' intranets as feeds, with fetch and confirmation
records."""
