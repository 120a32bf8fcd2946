"""The write path of the inspector register: registration, renewal, annual confirmation, status and grade
changes, institution transfers, and personal data (kept and disclosed with a log of every read).

Every service takes keyword arguments only and a required `actor`, validates before it writes, makes its
change in one transaction and records it in the change log in that transaction. Personal data never
enters the change log (whose "inspectors" records are public): only the names of the fields changed.
Errors are the project's (cepa.errors); a refusal (Refused) lists every failing rule at once (its
`reasons`), as the decisions do. Every service takes the acting `user` and checks its role and
organisation first; `user=None` is the operator at the command line or a scheduled task, who may do
everything. The `check_may_*` functions are also for the faces that must answer 403 before judging
a request's body.
"""
