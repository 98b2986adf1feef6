# neuralscope: the server (REST + web app) and search workers, one image (CPU PyTorch).
#   docker build -t neuralscope .
#   docker run -p 8765:8765 -e NEURALSCOPE_TOKEN=change-me neuralscope
# With a GPU, build FROM an image with CUDA and install the matching torch wheel instead.

# --- the web app (React + Vite) ------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
# vite writes the bundle to ../src/neuralscope/server/static
RUN mkdir -p ../src/neuralscope/server && npm run build

# --- the Python package ----------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    NEURALSCOPE_HOME=/data
WORKDIR /app
# CPU-only torch first, from PyTorch's index (the default wheel pulls in CUDA, several GB).
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch>=2.4"
COPY pyproject.toml README.md ./
COPY src/ ./src/
COPY --from=web /src/src/neuralscope/server/static/ ./src/neuralscope/server/static/
RUN pip install ".[postgres]" \
    && useradd --create-home --uid 1000 neuralscope \
    && mkdir -p /data && chown neuralscope /data
USER neuralscope
VOLUME ["/data"]
EXPOSE 8765
ENTRYPOINT ["neuralscope"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8765"]
