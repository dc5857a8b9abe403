"""The vendor-specific half of the search index (see turbine.core.search).

PostgreSQL: the unaccent extension, a ``turbine_fr`` text search configuration (French stemming
after unaccent) and a GIN index on the tsvector. SQLite: the FTS5 table, rowid = document id.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'turbine_fr') THEN
           CREATE TEXT SEARCH CONFIGURATION turbine_fr (COPY = french);
           ALTER TEXT SEARCH CONFIGURATION turbine_fr
             ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
         END IF;
       END $$""",
    "CREATE INDEX IF NOT EXISTS core_searchdocument_vector_gin "
    "ON core_searchdocument USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS core_searchdocument_kind ON core_searchdocument (kind)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchdocument_kind",
    "DROP INDEX IF EXISTS core_searchdocument_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS turbine_fr",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS core_searchdocument_fts "
    "USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE INDEX IF NOT EXISTS core_searchdocument_kind ON core_searchdocument (kind)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchdocument_kind",
    "DROP TABLE IF EXISTS core_searchdocument_fts",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, PG_FORWARD if vendor == "postgresql" else SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, PG_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_themes")]
    operations = [migrations.RunPython(forward, backward)]
