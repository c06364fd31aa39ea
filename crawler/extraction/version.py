"""The extractor's version, stored on every record it produces.

Raise it with every change that can alter what is read from the same page, so that an
archive says which records a re-extraction (`pressarchive reprocess`) would change.
"""

EXTRACTOR_VERSION = "2.0"
