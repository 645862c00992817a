"""SQLite: rebuild Wagtail's FTS5 search table with the Porter stemmer ("missile" finds
"missiles"); Wagtail creates it with the plain unicode61 tokenizer. PostgreSQL stems through its
``english`` text-search configuration and needs nothing here."""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
TOKENIZER = "porter unicode61 remove_diacritics 2"


def stemming_fts_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=%s", [f"{TABLE}_fts"]
        )
        if cursor.fetchone() is None:
            return  # SQLite without FTS5: Wagtail falls back to plain LIKE matching
        cursor.execute(f"DROP TABLE {TABLE}_fts")
        cursor.execute(
            f"CREATE VIRTUAL TABLE {TABLE}_fts USING fts5("
            f"autocomplete, body, title, tokenize = '{TOKENIZER}')"
        )
        cursor.execute(
            f"INSERT INTO {TABLE}_fts (rowid, title, body, autocomplete) "  # noqa: S608
            f"SELECT id, title, body, autocomplete FROM {TABLE}"
        )


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(stemming_fts_table, migrations.RunPython.noop)]
