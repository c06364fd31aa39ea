"""Batch steps of pressarchive as plain functions: process, index, search, and the CLI."""
