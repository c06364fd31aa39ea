"""Record schemas of the archive: defined once, turned into Arrow and search mappings."""

from schemas.fields import Entity, Field, Kind
from schemas.records import ARTICLE, COMMENT, ENTITIES

__all__ = ["ARTICLE", "COMMENT", "ENTITIES", "Entity", "Field", "Kind"]
