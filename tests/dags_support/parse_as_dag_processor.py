"""Parse DAG folders exactly as Airflow's DAG processor does, with a database that refuses.

    python tests/dags_support/parse_as_dag_processor.py RESULT.json FOLDER [FOLDER ...]

Each `*.py` file of each folder is parsed by `DagFileProcessorProcess`, the DAG
processor's own parsing subprocess, served by the in-process Execution API that the
processor manager uses: a `Variable.get` or `Connection.get` in a DAG file reaches that
API, which asks the metadata database. Every SQL statement, in this process or in a
parsing child, is recorded and then fails, so the result lists every metadata query
that parsing made (the SDK logs a failed lookup and carries on with the default, so a
failure alone would not show). Written per folder: the DAG ids found, the import errors
and the recorded statements.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

QUERIES = Path(os.environ.get("PARSE_QUERY_LOG", "/dev/null"))


@event.listens_for(Engine, "before_cursor_execute")
def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    with QUERIES.open("a") as log:
        log.write(json.dumps({"pid": os.getpid(), "sql": " ".join(statement.split())[:2000]})
                  + "\n")
    raise RuntimeError("this metadata database refuses every query")


def parse_file(path: Path, folder: Path, client: Any) -> Any:
    """One file through the DAG processor's parsing subprocess; its parsing result."""
    import structlog
    from airflow.dag_processing.processor import DagFileProcessorProcess
    from uuid6 import uuid7

    process = DagFileProcessorProcess.start(
        id=uuid7(), path=path, bundle_path=folder, bundle_name="dags-folder",
        dag_file_rel_path=path.name, callbacks=[], client=client,
        logger=structlog.get_logger(), logger_filehandle=None)
    while not process.is_ready:  # what the manager's loop does for its processors
        for key, _ in process.selector.select(timeout=1.0):
            handler, on_close = key.data
            try:
                more = handler(key.fileobj)
            except (BrokenPipeError, ConnectionResetError):
                more = False
            if not more:
                on_close(key.fileobj)
                key.fileobj.close()
    return process.parsing_result


def main(result_path: str, folders: list[str]) -> None:
    from airflow.dag_processing.manager import _make_execution_api
    from airflow.sdk.api.client import Client

    client = Client(base_url=None, token="", dry_run=True,
                    transport=_make_execution_api().transport)
    client.base_url = "http://in-process.invalid./"
    out = []
    for folder in map(Path, folders):
        QUERIES.write_text("")
        dag_ids: list[str] = []
        errors: dict[str, Any] = {}
        for path in sorted(folder.glob("*.py")):
            result = parse_file(path, folder, client)
            if result is None:
                errors[path.name] = "the parsing process returned no result"
                continue
            dag_ids += [dag.dag_id for dag in result.serialized_dags]
            errors.update(result.import_errors or {})
        queries = [json.loads(line) for line in QUERIES.read_text().splitlines()]
        out.append({"folder": str(folder), "dag_ids": sorted(dag_ids),
                    "import_errors": errors, "queries": queries})
    Path(result_path).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
