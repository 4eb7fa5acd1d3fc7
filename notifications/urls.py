from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("whatsapp/webhook/", views.whatsapp_webhook, name="whatsapp_webhook"),
    path("preferensi/", views.preferences, name="preferences"),
]
