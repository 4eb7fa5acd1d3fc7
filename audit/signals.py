"""Connect what happens elsewhere to the audit trail. Handlers only record; they decide nothing."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from accounts.two_factor import two_factor_enrolled, two_factor_reset_done

from . import services
from .models import Action


@receiver(pre_create_historical_record)
def history_has_an_actor(sender, instance, history_instance, **kwargs):
    """A history row made outside a web request (Celery, beat, commands) names the system user."""
    if history_instance.history_user_id is None:
        history_instance.history_user = services.current_actor()


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    services.event_record(action=Action.LOGIN, actor=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        services.event_record(action=Action.LOGOUT, actor=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The password is never recorded; only the name that was tried.
    services.event_record(
        action=Action.LOGIN_FAILED, actor=None, actor_username=str(credentials.get("username", ""))[:150]
    )


@receiver(two_factor_enrolled)
def on_two_factor_enrolled(sender, user, **kwargs):
    services.event_record(action=Action.TWO_FACTOR_ENROLLED, actor=user, obj=user)


@receiver(two_factor_reset_done)
def on_two_factor_reset(sender, user, actor, devices=0, **kwargs):
    """Who removed whose second factor (an admin, or the user turning an optional one off)."""
    services.event_record(
        action=Action.TWO_FACTOR_RESET, actor=actor, obj=user,
        details={"user": user.get_username(), "devices": devices, "self": getattr(actor, "pk", None) == user.pk},
    )


def _process_of(instance):
    """The proposal an upload belongs to: the one its saver named (``services.process_attach``: the
    caller already holds it, no query), else the pengelola's latest."""
    process = getattr(instance, services.PROCESS_ATTR, None)
    return process if process is not None else instance.pengelola.processes.order_by("-pk").first()


@receiver(post_save, sender="sentra.Dokumen")
def on_document_upload(sender, instance, created, **kwargs):
    if created:
        services.event_record(
            action=Action.DOCUMENT_UPLOAD, actor=instance.uploaded_by, process=_process_of(instance),
            obj=instance, details={"jenis": instance.jenis, "sha256": instance.sha256, "size": instance.size,
                                   "nama": instance.original_name},
        )


@receiver(post_save, sender="sentra.SK")
def on_sk_upload(sender, instance, created, **kwargs):
    if created:
        services.event_record(
            action=Action.DOCUMENT_UPLOAD, actor=instance.ditetapkan_oleh, process=_process_of(instance),
            obj=instance, details={"jenis": "sk", "nomor": instance.nomor, "sha256": instance.sha256},
        )
