# One image for every EOCMS service: `eocms serve SERVICE` (see deploy/ and docs/operations.md).
#
#   docker build -t eocms:0.1.0 .
#   docker run --rm -p 8001:8080 eocms:0.1.0 intake --port 8080
#
# Inside a container every service listens on port 8080 (the HEALTHCHECK
# probes it); compose and Kubernetes map it to the outside. Migration Jobs
# override the entry point with `eocms migrate SERVICE`.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: install the project and its pinned dependencies into a venv ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/eocms
WORKDIR /src
COPY pyproject.toml README.md ./
COPY contracts/ contracts/
COPY chassis/ chassis/
COPY services/ services/
COPY eocms/ eocms/
# The runtime dependencies are pinned exactly in pyproject.toml; no dev extras.
RUN /opt/eocms/bin/pip install pip==25.3 \
    && /opt/eocms/bin/pip install /src

# ---- runtime: the venv only, run by an unprivileged user ----
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/eocms/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN groupadd --system --gid 10001 eocms \
    && useradd --system --uid 10001 --gid eocms --home-dir /var/lib/eocms --create-home eocms
COPY --from=build /opt/eocms /opt/eocms
WORKDIR /var/lib/eocms
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health/live', timeout=2)"]
ENTRYPOINT ["eocms", "serve"]
CMD ["intake", "--port", "8080"]
