import pytest
from django.core.exceptions import ValidationError

from sentra.validators import validate_kbli, validate_nib, validate_nik, validate_signer_name, validate_sk_number


@pytest.mark.parametrize("nik", ["7203011505850001", "7271015512900002"])  # a man born 15th, a woman born 15th
def test_plausible_niks_pass(nik):
    validate_nik(nik)


@pytest.mark.parametrize("nik", ["720301150585000", "72030115058500011", "0003011505850001", "7203013205850001",
                                 "7203011513850001", "72030115O5850001"])
def test_implausible_niks_fail(nik):
    with pytest.raises(ValidationError):
        validate_nik(nik)


def test_nib_and_kbli_lengths():
    validate_nib("9120201234567")
    validate_kbli("10792")
    for bad in ("912020123456", "91202012345678"):
        with pytest.raises(ValidationError):
            validate_nib(bad)
    for bad in ("1079", "107921", "1079a"):
        with pytest.raises(ValidationError):
            validate_kbli(bad)


@pytest.mark.parametrize("nomor", ["100.3.3.2/123/DISPERINDAG/2026", "518/176/2020", "188.45/217/Bag.Hukum/2025"])
def test_real_sk_number_shapes_are_accepted(nomor):
    validate_sk_number(nomor)


@pytest.mark.parametrize("nomor", ["123", "SK Bupati 2026", "100.3.3.2/123/DISPERINDAG", "2026/"])
def test_sk_numbers_without_slashes_and_a_year_are_refused(nomor):
    with pytest.raises(ValidationError):
        validate_sk_number(nomor)


@pytest.mark.parametrize("name", ["Dr. H. Kasman Lassa, S.H., M.H.", "Ir. Ahmad", "Ahmad Ali, S.E.", "Siti, M.Si"])
def test_signer_names_with_academic_titles_are_refused(name):
    with pytest.raises(ValidationError):
        validate_signer_name(name)


@pytest.mark.parametrize("name", ["Kasman Lassa", "Vera Elena Laruni", "Hidayat Lamakarate", "Rusdy Mastura"])
def test_signer_names_without_titles_pass(name):
    validate_signer_name(name)
