# Ventanilla's production image: one image, three roles (web, worker, beat) chosen by the command.
# docs/deploy.md. Built in two stages: front-end assets with Node, then the Python app.

FROM node:22-bookworm-slim AS assets
WORKDIR /src/assets
COPY assets/package.json assets/package-lock.json assets/build.sh ./
COPY assets/src ./src
RUN npm ci --no-audit --no-fund --loglevel=error && ./build.sh

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    VENTANILLA_VAR_DIR=/var/lib/ventanilla PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus PORT=8000
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpq5 && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app --uid 10001 ventanilla
WORKDIR /app
COPY requirements.txt pyproject.toml ./
RUN pip install -r requirements.txt
COPY . .
COPY --from=assets /src/assets/build ./assets/build
RUN pip install --no-deps -e . \
    && SECRET_KEY=build-only DEBUG=1 ventanilla compilemessages --ignore=.venv -v0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost ventanilla collectstatic --noinput -v0 \
    && mkdir -p /var/lib/ventanilla && chown ventanilla /var/lib/ventanilla
USER ventanilla
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz')"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
