"""An IKM is a member of one sentra: a proposal may not list a member of another sentra's census (the census
import refuses the same), while its own sentra's members are listed again freely (revision, amendment)."""

import pytest

from core.errors import RuleViolation
from flows.demo import usulan_data
from flows.models import LegalisasiProcess
from flows.operations import process_start
from sentra.models import AnggotaIKM, Pengelola, Sentra
from sentra.services import usulan_validate
from tests.conftest import DONGGALA, POSO


def test_a_proposal_listing_a_member_of_another_sentra_is_refused_naming_it_and_nothing_is_written(
        donggala, poso, start_proposal):
    first = start_proposal(donggala["pengusul"])
    taken = AnggotaIKM.objects.filter(sentra=first.pengelola.sentra).order_by("pk").first()
    data = usulan_data(poso["pengusul"].region, seed=40)
    data.anggota[2] = {**data.anggota[2], "nib": taken.nib}  # same business, typed again in Poso
    counts = (LegalisasiProcess.objects.count(), Sentra.objects.count(), Pengelola.objects.count(),
              AnggotaIKM.objects.count())

    with pytest.raises(RuleViolation) as refused:
        process_start(user=poso["pengusul"], data=data)
    message = " ".join(refused.value.messages)
    assert "Satu IKM hanya menjadi anggota satu sentra" in message
    assert taken.nib in message and first.pengelola.sentra.name in message
    assert counts == (LegalisasiProcess.objects.count(), Sentra.objects.count(), Pengelola.objects.count(),
                      AnggotaIKM.objects.count())

    # by the owner's NIK alone, too
    data = usulan_data(poso["pengusul"].region, seed=41)
    data.anggota[0] = {**data.anggota[0], "nik_pemilik": taken.nik_pemilik}
    with pytest.raises(RuleViolation, match="sudah anggota"):
        usulan_validate(data=data, region=poso["pengusul"].region)


def test_the_members_of_the_proposals_own_sentra_may_be_listed_again(donggala, start_proposal):
    first = start_proposal(donggala["pengusul"])
    sentra = first.pengelola.sentra
    data = usulan_data(donggala["pengusul"].region, seed=1)  # the same members, typed again
    assert {a["nib"] for a in data.anggota} == set(sentra.anggota_set.values_list("nib", flat=True))
    usulan_validate(data=data, region=donggala["pengusul"].region, existing=first.pengelola)  # a revision
    data.sentra = sentra  # a new proposal for the same sentra, picked from the list
    usulan_validate(data=data, region=donggala["pengusul"].region)


def test_demo_proposals_of_different_regions_share_no_member(regions):
    nibs = {code: {a["nib"] for a in usulan_data(regions[code], seed=1).anggota} for code in (DONGGALA, POSO)}
    assert not nibs[DONGGALA] & nibs[POSO]
