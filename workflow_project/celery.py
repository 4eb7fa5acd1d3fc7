"""The Celery application: one instance, configured from Django settings (``CELERY_*``)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workflow_project.settings")

app = Celery("workflow_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
