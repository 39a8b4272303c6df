# The web app, the Celery worker and beat all run from this one image (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

WORKDIR /app
# DejaVu Sans for anything drawing text on the system; the board brief PDF embeds its own copy (plans/fonts).
RUN apt-get update \
    && apt-get install --yes --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app && mkdir -p /data/media && chown app /data/media

COPY pyproject.toml README.md ./
COPY procurement ./procurement
COPY accounts ./accounts
COPY plans ./plans
RUN pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY locale ./locale
# collectstatic needs a key to import the settings; this one is thrown away with the build step.
RUN DJANGO_ENV=production SECRET_KEY=build-only-key-thrown-away-with-this-layer-0123456789abcdefghij \
    python manage.py collectstatic --noinput

USER app
EXPOSE 8000
CMD ["gunicorn", "procurement.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
