"""Provincial register numbers: sequential per year, no gap, no duplicate, even when recorded at once."""

import threading

import pytest
from django.db import connection, transaction

from sentra.models import Region
from sentra.services import register_number_next
from tests.helpers import needs_postgres


@pytest.mark.django_db
def test_register_numbers_count_per_year(regions):
    province = Region.objects.get(code="72")
    with transaction.atomic():
        assert register_number_next(province_code=province.code, year=2026) == "72/REG-SENTRA/2026/0001"
        assert register_number_next(province_code=province.code, year=2026) == "72/REG-SENTRA/2026/0002"
        assert register_number_next(province_code=province.code, year=2027) == "72/REG-SENTRA/2027/0001"


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_recordings_at_once_get_twenty_consecutive_numbers(regions):
    province = Region.objects.get(code="72")
    barrier = threading.Barrier(20)
    numbers, errors = [], []

    def record():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(register_number_next(province_code=province.code, year=2026))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == [f"72/REG-SENTRA/2026/{i:04d}" for i in range(1, 21)]
