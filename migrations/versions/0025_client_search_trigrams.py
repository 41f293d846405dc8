"""clients: a trigram index of what a client is found by

The search for a fragment that matches few clients or none read the whole search index: about
4 ms at 20,000 clients and five times that at 100,000. A trigram index finds the clients whose
texts hold every word of three characters or more without reading the others: locally an
FTS5 table with the trigram tokenizer over `clients.search_text` and `network_search_text`
(external content, kept in step by triggers on `clients`, so every write that changes those
columns changes it in the same transaction). A team server gets GIN indexes with `pg_trgm`
instead, which PostgreSQL uses for the same LIKE by itself; they are made with the server's
own objects when the server has that extension (store/server/roles.py), not here.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | None = None
depends_on: str | None = None

SQLITE = (
    "CREATE VIRTUAL TABLE client_search USING fts5(search_text, network_search_text,"
    " content='clients', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER client_search_insert AFTER INSERT ON clients BEGIN"
    " INSERT INTO client_search (rowid, search_text, network_search_text)"
    " VALUES (new.id, new.search_text, new.network_search_text); END",
    "CREATE TRIGGER client_search_delete AFTER DELETE ON clients BEGIN"
    " INSERT INTO client_search (client_search, rowid, search_text, network_search_text)"
    " VALUES ('delete', old.id, old.search_text, old.network_search_text); END",
    "CREATE TRIGGER client_search_update AFTER UPDATE OF search_text, network_search_text"
    " ON clients BEGIN"
    " INSERT INTO client_search (client_search, rowid, search_text, network_search_text)"
    " VALUES ('delete', old.id, old.search_text, old.network_search_text);"
    " INSERT INTO client_search (rowid, search_text, network_search_text)"
    " VALUES (new.id, new.search_text, new.network_search_text); END",
    "INSERT INTO client_search (client_search) VALUES ('rebuild')",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER client_search_{name}")
        op.execute("DROP TABLE client_search")
