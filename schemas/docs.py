"""The column tables of `schemas/README.md`, generated from the record contract.

`python -m schemas.docs` prints them; a test fails when the README and the schemas differ.
"""

from __future__ import annotations

from schemas.arrow import arrow_schema, raw_schema
from schemas.fields import Entity, RawRecord
from schemas.records import ENTITIES, RAW_RECORDS

BEGIN = "<!-- columns:{name} -->"
END = "<!-- /columns:{name} -->"


def column_table(entity: Entity) -> str:
    schema = arrow_schema(entity)
    lines = [f"Primary key `{entity.primary_key}`, partitioned by "
             f"{', '.join(f'`{k}`' for k in entity.partition_by)}, schema version "
             f"{entity.version}.", "",
             "| column | type | nullable | from the raw record | description |",
             "| --- | --- | --- | --- | --- |"]
    for f in entity.fields:
        arrow_type = str(schema.field(f.name).type).replace("|", "\\|")
        origin = f"`{f.raw}`" if f.raw is not None else "computed"
        lines.append(f"| `{f.name}` | `{arrow_type}` | {'yes' if f.nullable else 'no'} | "
                     f"{origin} | {f.description} |")
    return "\n".join(lines)


def raw_table(record: RawRecord) -> str:
    schema = raw_schema((record,))
    lines = [f"`\"type\": \"{record.name}\"`: {record.description}", "",
             "| field | JSON / Arrow type | description |", "| --- | --- | --- |"]
    for f in record.fields:
        arrow_type = str(schema.field(f.name).type).replace("|", "\\|")
        lines.append(f"| `{f.name}` | `{arrow_type}` | {f.description} |")
    return "\n".join(lines)


def section(item: Entity | RawRecord) -> str:
    name = item.name if isinstance(item, Entity) else f"raw-{item.name}"
    body = column_table(item) if isinstance(item, Entity) else raw_table(item)
    return "\n".join([BEGIN.format(name=name), body, END.format(name=name)])


if __name__ == "__main__":
    for item in [*ENTITIES.values(), *RAW_RECORDS.values()]:
        print(section(item), end="\n\n")
