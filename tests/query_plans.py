"""Reading a query's plan in tests, on SQLite and PostgreSQL alike (issue 14).

SQLite: EXPLAIN QUERY PLAN must show SEARCH (an index) and no TEMP B-TREE. PostgreSQL: with
sequential scans, bitmap scans and sorts priced out (tiny test tables with no statistics would
otherwise be planned however the costs fall that run), the plan must still use indexes and
sort nothing, which holds only when an index both finds the rows and yields their order.
"""

from django.db import connection


def plan(queryset) -> str:
    return plan_sql(*queryset.query.sql_with_params())


def plan_sql(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def assert_indexed(text: str, *, sorted_ok: bool = False) -> None:
    if connection.vendor == "sqlite":
        for line in text.splitlines():
            assert not (line.startswith("SCAN") and "USING" not in line), text
            assert "TEMP B-TREE" not in line, text
    else:
        assert "Seq Scan" not in text, text
        if not sorted_ok:
            assert "Sort" not in text, text
