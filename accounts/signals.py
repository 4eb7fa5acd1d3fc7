"""Signal receivers: each only hands the event to a service (``throttle``, ``sessions``).

Connected in ``AccountsConfig.ready``.
"""

from . import sessions, throttle


def on_login_failed(sender, credentials, request=None, **kwargs):
    throttle.failure_record(throttle.login_key(credentials.get("username"), request))


def on_logged_in(sender, request, user, **kwargs):
    throttle.success_record(throttle.login_key(user.get_username(), request))
    if request is not None and hasattr(request, "session"):
        sessions.session_start(request.session)


def on_user_pre_save(sender, instance, raw=False, **kwargs):
    """Remember whether this save turns an active account inactive."""
    instance._sksentra_deactivating = bool(
        not raw
        and instance.pk is not None
        and not instance.is_active
        and sender._default_manager.filter(pk=instance.pk, is_active=True).exists()
    )


def on_user_post_save(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_sksentra_deactivating", False):
        instance._sksentra_deactivating = False
        sessions.user_sessions_end(instance)


def on_user_post_delete(sender, instance, **kwargs):
    sessions.user_sessions_end(instance)
