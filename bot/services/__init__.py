"""Use cases: each opens one unit of work, applies the domain rules, and writes the state change, its
events and its outbox rows in one transaction — all of them or none."""
