from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0001_initial"),
    ]

    operations = [
        # The arXiv version string moves aside for the optimistic-concurrency counter.
        migrations.RenameField(model_name="paper", old_name="version", new_name="arxiv_version"),
        migrations.AddField(
            model_name="paper",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Bumped by every save; a form loaded at an older version is a conflict.",
            ),
        ),
    ]
