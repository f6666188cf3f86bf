"""Validation: the checker protocol and context, the checkers (SHACL, evidence, terms, quality
checks, coverage, stored queries), their registry, and the report with its formats."""
