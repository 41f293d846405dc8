"""Read models: what a screen or command shows, as plain dataclasses (`store.records`).

Every list reads the stored, indexed current state (`next_due`, `last_contact_on`, open alerts)
and never walks history, so its cost follows the size of the answer, not of the register.
Queries are SQLAlchemy Core selects: typed, cached, and the same on PostgreSQL.

One module per thing shown: `today` (Vandaag, and the due lists the Team screen builds on),
`search`, `client_file` (the dossier, its timeline, the agreements to log a contact on),
`edit` (what the forms start from and offer), `team` (the teamleider's review, the daily
snapshots and the trend, the scripts' lists), `inzage` (AVG art. 15); `common` is what they
share. They never import a write service, the sweep or the services facade (an import-linter
contract says so); the write side's `common` (who acts, lookups) they do use.
"""
