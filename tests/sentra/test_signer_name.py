"""The signer of an SK is a person: a name without academic titles, never an office, digits or markup."""

import pytest
from django.core.exceptions import ValidationError

from sentra.validators import validate_signer_name


@pytest.mark.parametrize("name", ["Vera Elena Laruni", "Moh. Irwan Lapatta", "Andi Ma'ruf", "Andi Ma\u2019ruf",
                                  "Hidayat Lamakarate", "Nur-Aini Lasama", "Ratna Dewi"])
def test_people_are_names(name):
    validate_signer_name(name)


@pytest.mark.parametrize("value", ["Bupati Palu", "Wali Kota Palu", "Plt. Sekda Donggala", "12345", "x", "",
                                   "<script>alert(1)</script>", "=HYPERLINK(1)", "Ahmad\u200bAli", "Ahmad Ali 2",
                                   "Dr. Ahmad Ali", "Ahmad Ali, S.H., M.H."])
def test_offices_digits_markup_and_titles_are_not(value):
    with pytest.raises(ValidationError):
        validate_signer_name(value)


@pytest.mark.django_db
@pytest.mark.parametrize("code, kapasitas, office", [
    ("72.03", "an", "a.n. BUPATI DONGGALA, SEKRETARIS DAERAH"),
    ("72.71", "plt", "Plt. WALI KOTA PALU"),
    ("72.71", "definitif", "WALI KOTA PALU"),
])
def test_the_register_names_the_signing_office_as_the_decree_does(regions, code, kapasitas, office):
    from sentra.models import SK
    from sentra.selectors import signer_office

    assert signer_office(SK(region=regions[code], penandatangan_kapasitas=kapasitas)) == office
