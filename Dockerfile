# syntax=docker/dockerfile:1
# SK Sentra application image: web (gunicorn), Celery worker and beat all run from it.
# Built from the repo's pinned requirements (requirements/prod.txt); runs as an unprivileged user;
# static files are collected at build time and served by the app (whitenoise).
# Checked by CI without a Docker engine (tests/test_deploy.py: hadolint and a structural check).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=workflow_project.settings \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media \
    SKSENTRA_VAR_DIR=/data/var

# The app user owns only what it writes: uploaded files, beat's state and the collected static files.
# The code itself stays owned by root, read-only for the app.
RUN groupadd --gid 10001 sksentra \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin sksentra \
 && mkdir -p /data/media /data/var /app/staticfiles \
 && chown -R 10001:10001 /data /app/staticfiles

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/prod.txt

COPY . .

USER 10001:10001

# collectstatic needs settings but no secret or database: a throwaway key is used for this step only.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_STATIC_MANIFEST=1 python manage.py collectstatic --no-input --verbosity 0

EXPOSE 8000
CMD ["gunicorn", "-c", "python:workflow_project.gunicorn_conf", "workflow_project.wsgi:application"]
