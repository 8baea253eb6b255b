"""What differs between the databases: the full-text structure and how a token query is written.

SQLite: an FTS5 table over the index rows (external content, `ascii` tokenizer, kept in step by
triggers). PostgreSQL: a GIN index on `array_to_tsvector(string_to_array(tokens, ' '))`, which
takes the stored tokens as they are (no parser, no dictionary, no locale). Both split the stored
text on spaces only, so both hold exactly the tokens that search.text computed, and both answer
"every term, prefix terms as prefixes" the same way (tests compare them with terms_match).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from .text import Term

TABLE = "search_searchdocument"
FTS_TABLE = "search_fts"
COLUMNS = ("title_tokens", "head_tokens", "tokens")
GIN_INDEX = "search_doc_tokens_gin"

SQLITE_SCHEMA = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({', '.join(COLUMNS)}, content='{TABLE}', "
    "content_rowid='id', tokenize='ascii')",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {', '.join(COLUMNS)}) VALUES (new.id, {', '.join('new.' + c for c in COLUMNS)});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(COLUMNS)})
        VALUES ('delete', old.id, {', '.join('old.' + c for c in COLUMNS)});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(COLUMNS)})
        VALUES ('delete', old.id, {', '.join('old.' + c for c in COLUMNS)});
        INSERT INTO {FTS_TABLE}(rowid, {', '.join(COLUMNS)}) VALUES (new.id, {', '.join('new.' + c for c in COLUMNS)});
    END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}" for name in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def _vector(column: str) -> str:
    return f"array_to_tsvector(string_to_array({column}, ' '))"


POSTGRES_SCHEMA = [f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {TABLE} USING GIN ({_vector('tokens')})"]
POSTGRES_DROP = [f"DROP INDEX IF EXISTS {GIN_INDEX}"]


def vendor(connection=None) -> str:
    vendor = (connection or default_connection).vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {vendor}.")
    return vendor


def schema_create(connection) -> None:
    """Create the engine's full-text structure if it is missing (a migration calls this; so does search_reindex,
    because rebuilding the SQLite table of the index rows, as some schema changes do, drops its triggers)."""
    _execute(connection, SQLITE_SCHEMA if vendor(connection) == "sqlite" else POSTGRES_SCHEMA)


def schema_drop(connection) -> None:
    _execute(connection, SQLITE_DROP if vendor(connection) == "sqlite" else POSTGRES_DROP)


def _execute(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL refuses to change a table's indexes while deferred constraint checks on it are pending
            # (rows written earlier in the same transaction): check them now, as Django's schema editor does.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def schema_rebuild(connection) -> None:
    """FTS5 rebuilds its index from the rows (PostgreSQL's index needs nothing)."""
    if vendor(connection) == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


@contextmanager
def bulk_rewrite(connection) -> Iterator[None]:
    """Rewrite every index row inside this block. On SQLite the FTS table and its triggers are dropped first and
    built again from the rows after: a trigger's 'delete' of a row the FTS index does not hold (a table left
    behind by lost triggers) would corrupt it, and one rebuild is faster than a trigger per row."""
    if vendor(connection) == "sqlite":
        schema_drop(connection)
    yield
    if connection.vendor == "sqlite" or not schema_ok(connection):
        schema_create(connection)
    schema_rebuild(connection)


def schema_ok(connection) -> bool:
    with connection.cursor() as cursor:
        if vendor(connection) == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                           [FTS_TABLE, f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"])
            return cursor.fetchone()[0] == 4
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [GIN_INDEX])
        return cursor.fetchone()[0] == 1


def fts5_query(column: str, terms: Sequence[Term]) -> str:
    """`{tokens} : ("a" AND "budget"*)`: tokens are letters and digits only, quoted all the same."""
    words = " AND ".join('"%s"%s' % (term.token.replace('"', '""'), "*" if term.prefix else "") for term in terms)
    return "{%s} : (%s)" % (column, words)


def tsquery(terms: Sequence[Term]) -> str:
    """`'a' & 'budget':*`, quoted lexemes taken as they are (no parser, no dictionary)."""
    return " & ".join("'%s'%s" % (term.token.replace("\\", "\\\\").replace("'", "''"), ":*" if term.prefix else "")
                      for term in terms)


def match(column: str, terms: Sequence[Term]) -> Q:
    """Index rows whose `column` holds every term (prefix terms as prefixes)."""
    if column not in COLUMNS:
        raise ValueError(column)
    if vendor() == "sqlite":
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts5_query(column, terms)]))
    vector = _vector(f'"{TABLE}"."{column}"')
    return Q(RawSQL(f"{vector} @@ %s::tsquery", [tsquery(terms)], output_field=BooleanField()))
