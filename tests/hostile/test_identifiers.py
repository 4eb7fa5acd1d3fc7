"""Identifiers are ASCII digits (issue 18.4) and carry real codes (issue 13.13): a NIK from a real
province (outside Sulawesi Tengah: accepted with a warning), a KBLI in manufacturing (category C)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.phone import normalize_phone
from sentra.forms import AnggotaIKMForm, PengurusForm
from sentra.models import AnggotaIKM, Pengurus
from sentra import validators
from sentra.validators import validate_kbli, validate_nib, validate_nik, validate_sk_number
from tests.flows.test_bad_input import assert_nothing_saved, submit_usulan, _media_files
from tests.helpers import form_errors

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

NIK = "7203011505850001"


@pytest.mark.parametrize("script", [ARABIC_INDIC, DEVANAGARI], ids=["arabic-indic", "devanagari"])
def test_identifiers_in_other_scripts_are_refused_by_the_validators(script):
    for validator, value in ((validate_nik, NIK), (validate_nib, "9120201234567"), (validate_kbli, "10792")):
        with pytest.raises(ValidationError, match="harus terdiri dari tepat"):
            validator(value.translate(script))
    with pytest.raises(ValidationError):
        validate_sk_number("100.3.3.2/45/DISPERINDAG/20" + "26".translate(script))


def test_phone_numbers_take_ascii_or_full_width_digits_only():
    assert normalize_phone("081234567890".translate(FULL_WIDTH)) == "6281234567890"
    assert normalize_phone("\uff0b6281234567890".translate(FULL_WIDTH)) == "6281234567890"
    for script in (ARABIC_INDIC, DEVANAGARI):
        with pytest.raises(ValidationError, match="hanya boleh berisi angka"):
            normalize_phone("081234567890".translate(script))
    with pytest.raises(ValidationError):
        normalize_phone("08123456789²")  # str.isdigit() is True for a superscript two


def _pengurus(nik, **extra):
    return PengurusForm({"nama": "Ahmad", "jabatan": "Ketua", "nik": nik, "telepon": "", **extra})


def _anggota(**overrides):
    data = {"nama_usaha": "UD Bawang", "pemilik": "Siti", "nik_pemilik": NIK, "nib": "9120201234567",
            "kbli": "10792", "produk": "bawang goreng", "tenaga_kerja": "3", "telepon": ""}
    return AnggotaIKMForm({**data, **overrides})


def test_forms_fold_full_width_digits_to_ascii():
    form = _anggota(nik_pemilik=NIK.translate(FULL_WIDTH), nib="9120201234567".translate(FULL_WIDTH),
                    kbli="10792".translate(FULL_WIDTH), telepon="0812 3456 7890".translate(FULL_WIDTH))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["nik_pemilik"], form.cleaned_data["nib"], form.cleaned_data["kbli"]) == (
        NIK, "9120201234567", "10792")
    assert form.cleaned_data["telepon"] == "6281234567890"
    assert _pengurus(NIK.translate(FULL_WIDTH)).is_valid()


@pytest.mark.parametrize("field, value", [("nik_pemilik", NIK), ("nib", "9120201234567"), ("kbli", "10792")])
def test_forms_refuse_arabic_indic_digits(field, value):
    form = _anggota(**{field: value.translate(ARABIC_INDIC)})
    assert not form.is_valid()
    assert "harus terdiri dari tepat" in str(form.errors[field])


@pytest.mark.django_db
def test_a_proposal_with_an_arabic_indic_nik_is_refused_over_http(donggala):
    before = _media_files()
    response = submit_usulan(donggala["pengusul"], **{"anggota-0-nik_pemilik": NIK.translate(ARABIC_INDIC)})
    assert response.status_code == 422  # refused
    assert "NIK harus terdiri dari tepat 16 angka" in form_errors(response)
    assert_nothing_saved(before)


@pytest.mark.django_db
def test_a_proposal_with_full_width_digits_is_stored_in_ascii(donggala):
    response = submit_usulan(donggala["pengusul"], **{"anggota-0-nik_pemilik": NIK.translate(FULL_WIDTH),
                                                       "pengurus-0-nik": NIK.translate(FULL_WIDTH)})
    assert response.status_code == 302, form_errors(response)
    assert AnggotaIKM.objects.filter(nik_pemilik=NIK).exists()
    assert Pengurus.objects.filter(nik=NIK).exists()
    assert all(a.nik_pemilik.isascii() for a in AnggotaIKM.objects.all())


# --- issue 13.13: the codes inside the numbers --------------------------------------------------


def test_the_province_list_is_indonesias_38_provinces():
    assert len(validators.PROVINCE_CODES) == 38 and "72" in validators.PROVINCE_CODES


@pytest.mark.parametrize("prefix", ["20", "39", "99", "10", "54", "80"])
def test_a_nik_without_a_real_province_code_is_refused(prefix):
    with pytest.raises(ValidationError, match="kode wilayah"):
        validate_nik(prefix + NIK[2:])


def test_a_nik_from_another_province_is_accepted_with_a_warning_not_refused():
    outside = "3201011505850001"  # Jawa Barat
    validate_nik(outside)
    assert "di luar Sulawesi Tengah" in validators.nik_warning(outside)
    assert validators.nik_warning(NIK) is None
    form = _pengurus(outside)
    assert form.is_valid(), form.errors
    assert len(form.warnings) == 1 and "3201011505850001" in form.warnings[0]
    assert _pengurus(NIK).is_valid() and _pengurus(NIK).warnings == []


@pytest.mark.parametrize("kbli", ["47111", "01111", "56101", "09900", "34000", "99999"])
def test_a_kbli_outside_manufacturing_is_refused(kbli):
    with pytest.raises(ValidationError, match="bukan industri pengolahan"):
        validate_kbli(kbli)
    form = _anggota(kbli=kbli)
    assert not form.is_valid() and "kategori C" in str(form.errors["kbli"])


@pytest.mark.parametrize("kbli", ["10792", "13134", "16299", "33121", "10011"])
def test_a_kbli_in_manufacturing_passes(kbli):
    validate_kbli(kbli)


@pytest.mark.django_db
def test_a_proposal_with_a_nik_from_another_province_is_accepted_and_the_warning_is_shown(donggala):
    from tests.flows.test_legalisasi_http import usulan_post
    from tests.helpers import client_for

    outside = "3201011505850009"  # issued in Jawa Barat: the member moved, the NIK is real
    post = usulan_post(donggala["pengusul"].region, **{"anggota-0-nik_pemilik": outside})
    response = client_for(donggala["pengusul"]).post("/legalisasi/usulan/", post, follow=True)
    assert response.redirect_chain, form_errors(response)
    assert AnggotaIKM.objects.filter(nik_pemilik=outside).exists()
    assert "di luar Sulawesi Tengah" in response.content.decode()
