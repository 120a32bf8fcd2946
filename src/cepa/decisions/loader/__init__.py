"""Builds rules-engine Snapshots from the database in a small, fixed number of queries.

Each loader reads what one question needs about one product type, either for one subject (and the
counterparties it relies on) or for every body at once. The number of queries does not depend on the
size of the registry. Scope rows are read for the asked product type only, so a loaded snapshot's
scopes (accreditation, designation, agreement) hold at most that one code: the engine looks at no other.
The catalogue part holds the product type(s) carrying the asked code, so an unknown code leaves it empty.

The queries are written with the ORM and compiled once (see `prepared`).
"""
