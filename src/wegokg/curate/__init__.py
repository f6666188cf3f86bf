"""Curation: the canonical Turtle formatter, `wegokg draft`, and the schema.org extract."""
