"""The common guidelines, routines and standards per area: versions, adoption through the
governance case register, and each ministry's adoption status."""
