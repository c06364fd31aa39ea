# The project's image: Airflow 3.3.2 on Python 3.11 with pressarchive installed, used by
# every Airflow service of docker-compose.yml and by the one-shot `setup` service.
#
#   docker build -t pressarchive:local .
#
# Runs as the image's non-root `airflow` user (uid 50000, gid 0); compose runs it as
# AIRFLOW_UID:0, so every directory the pipeline writes is group 0 and group-writable.
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}
ARG AIRFLOW_VERSION

ENV PRESSARCHIVE_HOME=/opt/pressarchive \
    PRESSARCHIVE_DATA=/data \
    PRESSARCHIVE_SITES=/opt/pressarchive/sites \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/pressarchive/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False

USER root
RUN mkdir -p /opt/pressarchive /data \
 && chown airflow:0 /opt/pressarchive /data \
 && chmod 2775 /opt/pressarchive /data

USER airflow
WORKDIR /opt/pressarchive
# Dependencies first (a layer that survives code changes), then the code.
COPY --chown=airflow:0 pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))\
['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /tmp/requirements.txt
COPY --chown=airflow:0 . .
# Editable: es_setup and the DAGs find infra/ and sites/ beside the packages.
RUN pip install --no-cache-dir --no-deps -e . \
 && python -c "import crawler.runner, archive.process, archive.index, schemas.records" \
 && chmod -R g+rwX /opt/pressarchive
