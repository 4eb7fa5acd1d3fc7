"""The WhatsApp webhook (Meta calls it) and the user's notification preferences."""

import json
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import delivery, outbox, whatsapp
from .models import Preference

logger = logging.getLogger(__name__)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    if request.method == "GET":
        # Subscription handshake: echo the challenge when the verify token matches.
        if (
            request.GET.get("hub.mode") == "subscribe"
            and settings.WHATSAPP_VERIFY_TOKEN
            and request.GET.get("hub.verify_token") == settings.WHATSAPP_VERIFY_TOKEN
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden("verify token mismatch")
    raw = request.body
    if not whatsapp.signature_valid(raw, request.headers.get("X-Hub-Signature-256")):
        logger.warning("whatsapp webhook with a bad signature refused")
        return HttpResponseForbidden("bad signature")
    try:
        payload = json.loads(raw)
    except ValueError:
        return HttpResponseBadRequest("invalid json")
    stored = sum(delivery.whatsapp_status_record(report) for report in whatsapp.webhook_statuses(payload))
    return HttpResponse(f"ok {stored}", content_type="text/plain")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "whatsapp", "digest"]
        labels = {"email": _("Kirim lewat email"), "whatsapp": _("Kirim lewat WhatsApp")}


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    pref = outbox.preference_of(request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Preferensi notifikasi disimpan."))
        return redirect("notifications:preferences")
    return TemplateResponse(request, "notifications/preferences.html", {"form": form, "user_obj": request.user})
