# Flipchart: a Matrix bot for open-space gatherings. Config at $FLIPCHART_CONFIG, data in the /data volume.
FROM python:3.11-slim

# PYTHONOPTIMIZE=2: bytecode without docstrings and asserts, about 3 MB less resident memory (see
# docs/operations.md, "Memory"); compiled once below for the standard library and site-packages (which
# lies inside it here), since the image writes no bytecode at run time and compiling at every start
# would cost more than it saves.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONOPTIMIZE=2 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    FLIPCHART_CONFIG=/data/config.toml

RUN groupadd --gid 10001 flipchart \
    && useradd --create-home --uid 10001 --gid 10001 flipchart \
    && mkdir /data && chown flipchart:flipchart /data && chmod 700 /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY plugins ./plugins
RUN pip install --no-cache-dir . \
    && python -m compileall -q -o 2 -x '/tests?/' "$(python -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"

USER 10001:10001
VOLUME ["/data"]
ENTRYPOINT ["flipchart"]
CMD ["run"]
