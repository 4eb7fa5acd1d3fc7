# SK Sentra application image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 sksentra \
 && mkdir -p /data/media /data/var /app/staticfiles \
 && chown -R sksentra:sksentra /data /app

WORKDIR /app
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt gunicorn==23.0.0

COPY --chown=sksentra:sksentra . .
USER sksentra

# collectstatic needs settings but no secrets or database: a throwaway key is used for this step only.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_STATIC_MANIFEST=1 python manage.py collectstatic --no-input

EXPOSE 8000
CMD ["gunicorn", "workflow_project.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
