"""No double booking, enforced by PostgreSQL: an exclusion constraint on (room, [start, end))
for confirmed bookings, plus the bigram index the booking search uses. No-ops on SQLite,
where meetings.services.bookings checks the same rule.

Half-open ranges ('[)'): a meeting ending at 10:00 and the next one starting at 10:00 do not
overlap. btree_gist lets the GiST index compare the room id with ``=``.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from erp.core.search import bigram_index, postgresql_only

CONSTRAINT = "meetings_booking_no_overlap"

ADD = f"""
ALTER TABLE meetings_booking ADD CONSTRAINT {CONSTRAINT}
EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end", '[)') WITH &&)
WHERE (status = 'confirmed')
"""
DROP = f"ALTER TABLE meetings_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}"


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("core", "0001_postgres_extensions")]

    operations = [
        BtreeGistExtension(),
        postgresql_only(ADD, DROP),
        bigram_index("meetings_booking", "title"),
    ]
