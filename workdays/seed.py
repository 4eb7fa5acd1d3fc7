"""The standing office hours the data migration seeds (Perpres 21/2023 style: a 37.5-hour week).

Idempotent: tests whose tables were flushed may call it again.
"""

import datetime as dt

# (first weekday, last weekday, start, end); Monday is 0
STANDING_HOURS = (
    (0, 3, dt.time(7, 30), dt.time(16, 0)),
    (4, 4, dt.time(7, 30), dt.time(16, 30)),
)
STANDING_NAME = "Jam kerja instansi pemerintah"


def office_hours_seed(office_hours_model) -> None:
    """Create the standing hours for all regions unless standing hours for all regions exist already."""
    if office_hours_model.objects.filter(region__isnull=True, valid_from__isnull=True).exists():
        return
    office_hours_model.objects.bulk_create([
        office_hours_model(name=STANDING_NAME, region=None, first_weekday=first, last_weekday=last, start=start, end=end)
        for first, last, start, end in STANDING_HOURS
    ])
