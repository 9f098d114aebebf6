"""Meeting rooms and conferences under model 1: the rooms (graded rooms included), bookings
without double booking, add-ons as orders and calendar feeds."""
