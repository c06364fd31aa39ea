"""The column tables of `schemas/README.md`, generated from the record schemas.

`python -m schemas.docs` prints them; a test fails when the README and the schemas differ.
"""

from __future__ import annotations

from schemas.arrow import arrow_schema
from schemas.fields import Entity
from schemas.records import ENTITIES

BEGIN = "<!-- columns:{name} -->"
END = "<!-- /columns:{name} -->"


def column_table(entity: Entity) -> str:
    schema = arrow_schema(entity)
    lines = [f"Primary key `{entity.primary_key}`, partitioned by "
             f"{', '.join(f'`{k}`' for k in entity.partition_by)}, schema version "
             f"{entity.version}.", "",
             "| column | type | nullable | description |", "| --- | --- | --- | --- |"]
    for f in entity.fields:
        arrow_type = str(schema.field(f.name).type).replace("|", "\\|")
        lines.append(f"| `{f.name}` | `{arrow_type}` | {'yes' if f.nullable else 'no'} | "
                     f"{f.description} |")
    return "\n".join(lines)


def section(entity: Entity) -> str:
    return "\n".join([BEGIN.format(name=entity.name), column_table(entity),
                      END.format(name=entity.name)])


if __name__ == "__main__":
    for entity in ENTITIES.values():
        print(section(entity), end="\n\n")
