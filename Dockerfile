# Tend web service. Build: docker build -t tend .
# Run:   docker run -e TEND_DATABASE_URL=postgresql+psycopg://… -e TEND_SECRET_KEY=… -p 8000:8000 tend
# The same image runs the one scheduler process with: docker run … tend tend scheduler
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system tend && useradd --system --gid tend --home-dir /app --shell /usr/sbin/nologin tend

WORKDIR /app
# Dependencies first (read from pyproject.toml), so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt
COPY README.md ./
COPY app ./app
COPY scheduling ./scheduling
COPY notifications ./notifications
COPY migrations ./migrations
RUN pip install --no-deps . && mkdir -p /app/var && chown tend:tend /app/var

USER tend
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# Migrations run first (idempotent; replicas starting together take turns on a PostgreSQL advisory lock,
# see migrations/env.py), then uvicorn serves the API. TEND_WEB_WORKERS (default 2) sets the worker count.
CMD ["sh", "-c", "tend migrate && exec tend serve --host 0.0.0.0 --port 8000 --workers ${TEND_WEB_WORKERS:-2}"]
