"""Sending one outbox row on its channel: email (Django's backend) or WhatsApp (the provider)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.text import single_line

from . import whatsapp
from .models import Channel, Kind, Notification


class SendError(Exception):
    def __init__(self, message: str, *, error_class: str = whatsapp.ErrorClass.TRANSIENT):
        super().__init__(message)
        self.error_class = error_class


SUBJECTS = {
    Kind.TASK_CREATED: "Tugas baru: {task} — {pengelola}",
    Kind.DUE_SOON: "Pengingat: {task} jatuh tempo besok — {pengelola}",
    Kind.DUE_TODAY: "Pengingat: {task} jatuh tempo hari ini — {pengelola}",
    Kind.OVERDUE: "Terlambat {days_overdue} hari kerja: {task} — {pengelola}",
    Kind.ESCALATION: "Eskalasi: {task} terlambat {days_overdue} hari kerja — {pengelola}",
    Kind.DIGEST: "Ringkasan harian SK Sentra: {count} pemberitahuan",
    Kind.ALERT: "PERINGATAN: {title}",
    Kind.TASK_REASSIGNED: "Tugas dialihkan: {task} — {pengelola}",
}


def _subject(n: Notification) -> str:
    """The subject on one line: names typed by users (a pengelola's name) may carry CR/LF, which
    Django refuses in a header (``BadHeaderError``); a long subject is cut, the body says it all."""
    values = {"task": "", "pengelola": "", "days_overdue": "", "count": "", "channel": "", "title": "", **n.context}
    return single_line("[SK Sentra] " + SUBJECTS[n.kind].format(**values), limit=200)


def send_email(n: Notification) -> str:
    context = {"n": n, "c": n.context, "recipient": n.recipient, "kind": n.kind, "subject": _subject(n)}
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string("notifications/email/message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[n.recipient.email],
        headers={"X-SKSentra-Notification": str(n.pk)},
    )
    message.attach_alternative(render_to_string("notifications/email/message.html", context), "text/html")
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"Alamat email ditolak: {exc}", error_class=whatsapp.ErrorClass.PERMANENT) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"SMTP: {exc}") from exc
    return ""


_limiter = None


def send_whatsapp(n: Notification) -> str:
    global _limiter
    template = whatsapp.TEMPLATES[n.kind]
    if _limiter is None:
        _limiter = whatsapp.RateLimiter(settings.WHATSAPP_MAX_PER_SECOND)
    _limiter.acquire(settings.WHATSAPP_PHONE_NUMBER_ID or "default")
    try:
        return whatsapp.provider().send_template(
            to=n.recipient.phone, template=template, params=n.context, callback_data=str(n.pk)
        )
    except whatsapp.ProviderError as exc:
        raise SendError(str(exc), error_class=exc.error_class) from exc


def send(n: Notification) -> str:
    """Send ``n``; return the provider's message id (empty for email). Raises SendError."""
    if n.channel == Channel.EMAIL:
        return send_email(n)
    return send_whatsapp(n)
