import pytest
from django.core.exceptions import ValidationError

from accounts.phone import mask_phone, normalize_phone
from accounts.roles import Role
from accounts.selectors import user_visible_region_codes


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("081234567890", "6281234567890"),
        ("+62 812-3456-7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("(0451) 421234", "62451421234"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_as_62_digits(raw, stored):
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize("raw", ["12345", "+1 202 555 0100", "08abc", "0812"])
def test_a_phone_number_that_is_not_indonesian_is_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_phone_masking_hides_the_middle():
    assert mask_phone("6281234567890") == "62812****7890"


@pytest.mark.django_db
def test_a_user_saves_the_normalised_phone(make_user):
    user = make_user(Role.PENGUSUL, "72.03")
    user.phone = "0812 3456 7890"
    user.save()
    user.refresh_from_db()
    assert user.phone == "6281234567890"


@pytest.mark.django_db
def test_region_scope_per_role(make_user):
    assert user_visible_region_codes(make_user(Role.VERIFIKATOR_DINAS, "72.03")) == {"72.03"}
    province = user_visible_region_codes(make_user(Role.PENCATAT_PROVINSI, "72"))
    assert province is not None and len(province) == 14 and "72.71" in province
    # auditors follow the same rule: the province's read every kab/kota, a kab/kota's its own Pemda
    assert user_visible_region_codes(make_user(Role.AUDITOR, "72")) == province
    assert user_visible_region_codes(make_user(Role.AUDITOR, "72.03", username="inspektorat.donggala")) == {"72.03"}


@pytest.mark.django_db
def test_a_provinces_kab_kota_come_from_the_cache_and_a_changed_region_counts_at_the_next_request(
    make_user, regions, django_assert_num_queries
):
    """The kab/kota codes of a province (a provincial official's scope, and a province a grant acts in)
    are reference data: read once, then from the cache; a region saved or deleted counts at once."""
    from accounts.models import User
    from sentra.models import Region

    pencatat = make_user(Role.PENCATAT_PROVINSI, "72")
    with django_assert_num_queries(3):  # the user, their roles and grants, the kab/kota (filling the cache)
        assert len(user_visible_region_codes(User.objects.select_related("region").get(pk=pencatat.pk))) == 14
    with django_assert_num_queries(2):  # the user, their roles and grants; the kab/kota come from the cache
        province = user_visible_region_codes(User.objects.select_related("region").get(pk=pencatat.pk))
    assert len(province) == 14 and "72.71" in province

    new = Region.objects.create(code="72.99", bps_code="7299", name="Kabupaten Baru", kind="kabupaten",
                                parent=regions["72"])
    assert "72.99" in user_visible_region_codes(User.objects.select_related("region").get(pk=pencatat.pk))
    new.delete()
    assert "72.99" not in user_visible_region_codes(User.objects.select_related("region").get(pk=pencatat.pk))
    assert user_visible_region_codes(User.objects.select_related("region").get(pk=pencatat.pk)) == province
