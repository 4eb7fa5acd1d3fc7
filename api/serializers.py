"""What the API answers: the register's facts, read only; personal data masked without ``personal:read``."""

from rest_framework import serializers

from flows.models import Keputusan, LegalisasiProcess
from flows.steps import STEP
from sentra.choices import SentraState
from sentra.models import SK, AnggotaIKM, Pengelola, Pengurus, Region, Sentra
from sentra.selectors import verification_url

from .models import Scope


def mask(value: str) -> str:
    """``************3456``: enough to tell two people apart on a list, not enough to be the number."""
    if not value:
        return value
    return "*" * max(len(value) - 4, 0) + value[-4:]


class PersonalField(serializers.CharField):
    """A personal datum (NIK, telephone): in full with ``personal:read``, masked otherwise."""

    def to_representation(self, value):
        value = super().to_representation(value)
        if Scope.PERSONAL_READ in self.context.get("scopes", ()):
            return value
        return mask(value)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "kind"]


class RegisterEntrySerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_pencatatan_label = serializers.CharField(source="get_status_pencatatan_display", read_only=True)
    pengelola = serializers.IntegerField(source="pengelola_id", read_only=True)
    pengelola_nama = serializers.CharField(source="pengelola.name", read_only=True)
    sentra = serializers.IntegerField(source="pengelola.sentra_id", read_only=True)
    sentra_nama = serializers.CharField(source="pengelola.sentra.name", read_only=True)
    verifikasi_url = serializers.SerializerMethodField()

    class Meta:
        model = SK
        fields = [
            "id", "nomor_register", "dicatat_pada", "nomor", "tanggal", "tahun", "penandatangan_nama",
            "penandatangan_kapasitas", "status", "status_label", "status_pencatatan", "status_pencatatan_label",
            "catatan_pencatatan", "tanggapan_pencatatan", "sha256", "region", "pengelola", "pengelola_nama",
            "sentra", "sentra_nama", "verifikasi_url",
        ]

    def get_verifikasi_url(self, sk) -> str:
        return verification_url(sk)


class SentraSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)
    ber_sk = serializers.BooleanField(read_only=True, help_text="Memiliki pengelola dengan SK berlaku yang tercatat.")
    jumlah_pengelola = serializers.IntegerField(read_only=True)
    keadaan = serializers.ChoiceField(
        source="state", choices=SentraState.choices, read_only=True,
        help_text="Keadaan di register sentra DAK: belum ada pengelola, dalam proses, pengelola ber-SK, SK berakhir.",
    )
    sk_dicabut = serializers.BooleanField(read_only=True, help_text="SK terakhir sentra ini dicabut.")

    class Meta:
        model = Sentra
        fields = ["id", "name", "komoditas", "alamat", "desa", "kecamatan", "tahun_dak", "latitude", "longitude",
                  "confirmed", "region", "ber_sk", "jumlah_pengelola", "keadaan", "sk_dicabut"]


class PengurusSerializer(serializers.ModelSerializer):
    nik = PersonalField(read_only=True)
    telepon = PersonalField(read_only=True)

    class Meta:
        model = Pengurus
        fields = ["id", "nama", "jabatan", "nik", "telepon"]


class PengelolaSerializer(serializers.ModelSerializer):
    region = RegionSerializer(source="sentra.region", read_only=True)
    sentra_nama = serializers.CharField(source="sentra.name", read_only=True)
    bentuk_hukum_label = serializers.CharField(source="get_bentuk_hukum_display", read_only=True)
    pengurus = PengurusSerializer(source="pengurus_set", many=True, read_only=True)

    class Meta:
        model = Pengelola
        fields = ["id", "name", "bentuk_hukum", "bentuk_hukum_label", "ppk_blud", "alamat", "masa_bakti_tahun",
                  "sentra", "sentra_nama", "region", "created_at", "pengurus"]


class AnggotaSerializer(serializers.ModelSerializer):
    nik_pemilik = PersonalField(read_only=True)
    telepon = PersonalField(read_only=True)

    class Meta:
        model = AnggotaIKM
        fields = ["id", "pengelola", "nama_usaha", "pemilik", "nik_pemilik", "nib", "kbli", "produk", "tenaga_kerja",
                  "telepon"]


class KeputusanSerializer(serializers.ModelSerializer):
    hasil_label = serializers.CharField(source="get_hasil_display", read_only=True)
    oleh = serializers.SerializerMethodField()

    class Meta:
        model = Keputusan
        fields = ["id", "langkah", "putaran", "hasil", "hasil_label", "catatan", "oleh", "peran", "kapasitas",
                  "dibuat", "task"]

    def get_oleh(self, keputusan) -> str:
        return keputusan.oleh.get_full_name() or keputusan.oleh.username


class UsulanSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)
    pengelola_nama = serializers.CharField(source="pengelola.name", read_only=True)
    tahap_label = serializers.CharField(source="get_tahap_display", read_only=True)
    keputusan = KeputusanSerializer(source="keputusan_set", many=True, read_only=True)

    class Meta:
        model = LegalisasiProcess
        fields = ["id", "pengelola", "pengelola_nama", "region", "tahap", "tahap_label", "putaran", "status",
                  "created", "finished", "keputusan"]


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    usulan = serializers.IntegerField(source="process_id")
    langkah = serializers.CharField(source="flow_task.name")
    judul = serializers.SerializerMethodField()
    status = serializers.CharField()
    pemilik = serializers.IntegerField(source="owner_id", allow_null=True)
    dibuat = serializers.DateTimeField(source="created")
    pengelola_nama = serializers.CharField(source="process.legalisasiprocess.pengelola.name")
    region = serializers.CharField(source="process.legalisasiprocess.region_id")
    hasil_pilihan = serializers.SerializerMethodField()

    def get_judul(self, task) -> str:
        return str(task.flow_task.task_title)

    def get_hasil_pilihan(self, task) -> list[str]:


        step = STEP.get(task.flow_task.name)
        return list(step.outcomes) if step else []
