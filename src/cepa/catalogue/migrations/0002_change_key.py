from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        # The table holds only shipped reference data: empty it and forget the loaded release, so the
        # load that follows migrate writes it again with keys.
        migrations.RunSQL("DELETE FROM catalogue_producttypechange", migrations.RunSQL.noop),
        migrations.RunSQL("DELETE FROM catalogue_referencedatarelease", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="producttypechange",
            name="key",
            field=models.CharField(default="", max_length=100, unique=True),
            preserve_default=False,
        ),
    ]
