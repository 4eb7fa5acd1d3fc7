from django.urls import path

from . import views

app_name = "sentra"

urlpatterns = [
    path("dokumen/<int:pk>/", views.dokumen_download, name="dokumen_download"),
    path("sk/<int:pk>/", views.sk_download, name="sk_download"),
]
