"""The write path of cooperation agreement filings: file, review (accept or return), terminate, expire.

Acceptance writes the registry agreement of the same id in the same transaction, with its change
set: it is in force from max(from, the day of acceptance) — the contract's "on the days of its range
from its acceptance on" — until `until`. Keeping the filing's own `from` elsewhere and the effective
start in the agreement's `from` means the rules engine and the interchange export need no change of
shape: they see an ordinary agreement, and never one that was not accepted.

Errors are the project's (cepa.errors), in the contract's order: NotAllowed (403), NotFound (404),
InvalidInput (400), Conflict (409), Refused (422, with the failing codes or product types). Every
write takes the acting `user` and checks its role and organisation (cepa.accounts.permissions) first;
`user=None` is the operator at the command line or a scheduled task, who may do everything. The
`check_may_*` and `find_filing` checks are also for the faces that must answer 403 or 404 before
judging a request's body.
"""
