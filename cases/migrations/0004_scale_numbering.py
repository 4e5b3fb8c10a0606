"""Case numbers as (year, sequence) integers beside the text, so that numbers past 999,999 sort right.

Existing rows get their parts from the number itself ("2026-000123": characters 1-4 and 6-). On
PostgreSQL the per-year sequences (cases/numbering.py) are created on first use and start after the
highest number of their year, so nothing else needs moving here.
"""

from django.db import migrations, models

SPLIT_NUMBERS = """
UPDATE cases_case
   SET year = CAST(substr(number, 1, 4) AS integer),
       sequence = CAST(substr(number, 6) AS integer)
"""


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_foundation_for_back_office_notifications_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="year"),
        ),
        migrations.AddField(
            model_name="case",
            name="sequence",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="sequence"),
        ),
        migrations.RunSQL(SPLIT_NUMBERS, migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="case",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="year"),
        ),
        migrations.AlterField(
            model_name="case",
            name="sequence",
            field=models.PositiveIntegerField(editable=False, verbose_name="sequence"),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(fields=("year", "sequence"), name="case_year_sequence"),
        ),
    ]
