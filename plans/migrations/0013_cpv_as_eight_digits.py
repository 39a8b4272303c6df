"""CPV codes are kept as eight digits (issue 17): a stored check digit ("34110000-1") and spaces go."""

import re

from django.db import migrations

WRITTEN = re.compile(r"([0-9]{8})(?:-[0-9])?")


def eight_digits(apps, schema_editor):
    for name in ("Procurement", "Order"):
        model = apps.get_model("plans", name)
        changed = []
        for row in model.objects.exclude(cpv="").exclude(cpv__regex=r"^[0-9]{8}$").only("pk", "cpv"):
            written = WRITTEN.fullmatch("".join(row.cpv.split()))
            if written and written.group(1) != row.cpv:
                row.cpv = written.group(1)
                changed.append(row)
        model.objects.bulk_update(changed, ["cpv"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("plans", "0012_centre_desk")]

    operations = [migrations.RunPython(eight_digits, migrations.RunPython.noop)]
