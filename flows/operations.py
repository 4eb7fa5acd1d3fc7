"""Acting on the flow outside a web request: demo data, management commands, tests.

Each function takes the same lock and runs the same service as the task page would, so the result
is indistinguishable from an official clicking through the inbox.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from audit.context import acting_as
from core.errors import RuleViolation
from sentra.services import UsulanData

from . import services
from .models import LegalisasiProcess, LegalisasiTask


def process_start(*, user, data: UsulanData) -> LegalisasiProcess:
    """Start a proposal as ``user`` (a pengusul of a kab/kota)."""
    from .flows import LegalisasiFlow

    node = LegalisasiFlow.usulan
    activation = node.activation_class.create(node, None, None)
    if not node.can_execute(user, activation.task):
        raise RuleViolation(_("Pengguna ini tidak berhak mengajukan usulan."))
    activation.start(SimpleNamespace(user=user))
    with acting_as(user):
        return services.usulan_submit(activation=activation, user=user, data=data)


def _sk_start(node, user):
    activation = node.activation_class.create(node, None, None)
    if not node.can_execute(user, activation.task):
        raise RuleViolation(_("Pengguna ini tidak berhak memulai usulan ini."))
    activation.start(SimpleNamespace(user=user))
    return activation


def change_start(*, user, sk, jenis: str, data: UsulanData, asset_change: bool = False, catatan: str = ""):
    """Start an amendment (``perubahan``) or renewal (``perpanjangan``) of ``sk`` as ``user`` (a pengusul)."""
    from .flows import LegalisasiFlow

    activation = _sk_start(getattr(LegalisasiFlow, jenis), user)
    with acting_as(user):
        return services.perubahan_submit(activation=activation, user=user, target=sk, jenis=jenis, data=data,
                                         asset_change=asset_change, catatan=catatan)


def revocation_start(*, user, sk, reason: str, grounds: str, evidence):
    """Start a revocation of ``sk`` as ``user`` (the kab/kota Disperindag)."""
    from .flows import LegalisasiFlow

    activation = _sk_start(LegalisasiFlow.pencabutan, user)
    with acting_as(user):
        return services.pencabutan_submit(activation=activation, user=user, target=sk, reason=reason,
                                          grounds=grounds, evidence=evidence)


def task_act(*, task: LegalisasiTask, user, action: Callable[[Any], Any]) -> Any:
    """Claim ``task`` for ``user`` if nobody holds it, then perform ``action(activation)``."""
    flow_task = task.flow_task
    with acting_as(user), flow_task.flow_class.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        activation = flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            if not flow_task.can_assign(user, task):
                raise RuleViolation(_("Pengguna ini tidak berhak mengambil tugas ini."))
            services.task_claim(activation=activation, user=user)
        if not flow_task.can_execute(user, task):
            raise RuleViolation(_("Pengguna ini tidak berhak menyelesaikan tugas ini."))
        activation.start(SimpleNamespace(user=user))
        return action(activation)


def open_task(process: LegalisasiProcess, step: str) -> LegalisasiTask | None:
    """The open task of ``step`` in ``process``, if any."""
    return (
        LegalisasiTask.objects.filter(process=process, flow_task_type="HUMAN", finished__isnull=True)
        .filter(flow_task=getattr(process.flow_class, step))
        .first()
    )
