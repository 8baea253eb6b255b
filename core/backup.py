"""Helpers of the backup_site / restore_site commands."""
import os


def database_kind(engine: str) -> str:
    """"SQLite" or "PostgreSQL" for a database ENGINE, whoever wrote the backend: a backup taken with Django's SQLite
    backend restores on core.db.sqlite3 and back (the same file format)."""
    if engine.endswith("sqlite3"):
        return "SQLite"
    if engine.endswith(("postgresql", "postgresql_psycopg2", "postgis")):
        return "PostgreSQL"
    return engine


def pg_environment(db: dict) -> tuple[dict, str]:
    """The environment (PGHOST, PGPASSWORD...) and database name for pg_dump / pg_restore."""
    env = {**os.environ, "PGHOST": db.get("HOST") or "127.0.0.1", "PGPORT": str(db.get("PORT") or 5432),
           "PGUSER": db.get("USER") or "postgres"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env, db["NAME"]


def row_counts(connection) -> dict[str, int]:
    """Rows per table: what a restore must give back."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            counts[table] = cursor.fetchone()[0]
    return counts
