"""String-based constraint components (SHACL 1.0 section 4.4): sh:minLength, sh:maxLength,
sh:pattern (with sh:flags), sh:languageIn, sh:uniqueLang."""

from __future__ import annotations

from wegokg.validation.shacl.queries import PREAMBLE, Query, focus_maker, sparql_string


def length_test(compiler, shape, name, value, v: str) -> str:
    """sh:minLength and sh:maxLength, SHACL 1.0 sections 4.4.1 and 4.4.2:
    https://www.w3.org/TR/shacl/#MinLengthConstraintComponent,
    https://www.w3.org/TR/shacl/#MaxLengthConstraintComponent"""
    op = ">=" if name == "minLength" else "<="
    return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)})"


def pattern_test(compiler, shape, name, value, v: str) -> str:
    """sh:pattern and sh:flags, SHACL 1.0 section 4.4.3:
    https://www.w3.org/TR/shacl/#PatternConstraintComponent"""
    flags = compiler.one(shape, "flags")
    extra = f", {sparql_string(str(flags))}" if flags is not None else ""
    return f"(!isBlank({v}) && REGEX(STR({v}), {sparql_string(str(value))}{extra}))"


def language_in_test(compiler, shape, name, value, v: str) -> str:
    """sh:languageIn, SHACL 1.0 section 4.4.4:
    https://www.w3.org/TR/shacl/#LanguageInConstraintComponent"""
    tags = list(compiler.g.items(value))
    matches = " || ".join(f"langMatches(LANG({v}), {sparql_string(str(t))})" for t in tags)
    return f"(isLiteral({v}) && ({matches or 'false'}))"


def unique_lang_query(target, path, source, shape, message, severity) -> Query:
    """sh:uniqueLang, SHACL 1.0 section 4.4.5, as a query of its own:
    https://www.w3.org/TR/shacl/#UniqueLangConstraintComponent"""
    sparql = (
        f"{PREAMBLE}SELECT DISTINCT ?this ?lang WHERE {{ {target} ?this {path} ?a, ?b . "
        f'FILTER (isLiteral(?a) && LANG(?a) != "" && !sameTerm(?a, ?b) && LANG(?a) = LANG(?b)) '
        f"BIND (LANG(?a) AS ?lang) }}"
    )
    make = focus_maker("uniqueLang", path, source, shape, message, severity, detail="lang")
    return Query(sparql, make)
