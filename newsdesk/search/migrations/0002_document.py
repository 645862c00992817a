"""The PostgreSQL search table (``newsdesk.search.documents``). At a million articles the copy
takes about a minute and a half, its GIN indexes included, on a shared 2-core machine."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def fill_documents(apps, schema_editor):
    """PostgreSQL: copy the published articles' index rows (in date order, with progress), then
    build the GIN indexes over the filled table (faster than maintaining them row by row)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from newsdesk.search import documents

    documents.fill()
    documents.create_gin_indexes()
    with schema_editor.connection.cursor() as cursor:
        # Outside a transaction (the migration is not atomic): marks the pages all-visible, so
        # the walks' boundary dates are read from the date index alone.
        cursor.execute(f"VACUUM ANALYZE {documents.TABLE}")


class Migration(migrations.Migration):
    # VACUUM cannot run in a transaction; the copy is idempotent (rows already copied are
    # skipped), so an interrupted migration is finished by running it again.
    atomic = False

    dependencies = [
        ('news', '0004_listed'),
        ('newsdesk_search', '0001_porter_stemming'),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='news.articlepage')),
                ('published_at', models.DateTimeField()),
                ('section_id', models.IntegerField(null=True)),
                ('title_norm', models.FloatField(default=1.0)),
                ('title', django.contrib.postgres.search.SearchVectorField()),
                ('body', django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                'indexes': [models.Index(fields=['-published_at', '-article'], name='search_document_newest')],
            },
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
    ]
