"""The on-call roster now belongs to tickets (tickets 0007): drop it from this app's state.

State only: the tables are kept, the tickets models use them under their existing names.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0006_slackmessage_operation_open"),
        ("tickets", "0007_oncall_roster_from_integrations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="OnCallMember"),
                migrations.DeleteModel(name="OnCallOverride"),
                migrations.DeleteModel(name="OnCallRotation"),
            ],
        ),
    ]
