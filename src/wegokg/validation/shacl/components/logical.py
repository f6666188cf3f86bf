"""Logical constraint components (SHACL 1.0 section 4.6): sh:or (sh:not, sh:and and sh:xone are
not compiled)."""

from __future__ import annotations

from wegokg.validation.shacl.components.shape_based import conforms


def or_test(compiler, shape, name, value, v: str) -> str:
    """sh:or, SHACL 1.0 section 4.6.3: https://www.w3.org/TR/shacl/#OrConstraintComponent"""
    members = list(compiler.g.items(value))
    return "(" + " || ".join(conforms(compiler, m, v) for m in members) + ")"
