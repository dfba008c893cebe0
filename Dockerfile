# The figurewatch worker image used by docker-compose.yml. A build stage with a C compiler builds the
# wheel with the extraction core compiled by mypyc (setup.py); the final image installs that wheel
# (which carries schemas/ and deploy/kafka/) and no compiler.
FROM python:3.11 AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY streams ./streams
COPY schemas ./schemas
COPY deploy ./deploy
RUN FIGUREWATCH_COMPILE=1 pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER nobody
ENV FIGUREWATCH_DATA_DIR=/tmp/figurewatch
ENTRYPOINT ["figurewatch"]
CMD ["worker"]
