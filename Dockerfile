# The figurewatch worker image used by docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY schemas ./schemas
COPY deploy ./deploy
RUN pip install --no-cache-dir -e .
USER nobody
ENV FIGUREWATCH_DATA_DIR=/tmp/figurewatch
ENTRYPOINT ["figurewatch"]
CMD ["worker"]
