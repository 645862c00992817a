"""The PostgreSQL search table (``newsdesk.search.documents``). At a million articles the copy
takes about a minute and each GIN index under half a minute."""

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


class Migration(migrations.Migration):

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
