"""The text surgery on an sh:sparql rule (SHACL 1.0 section 5) that lets the SHACL checker join
``$this`` to the targets instead of pre-binding it: which variables the rule projects, whether
the join means the same as pre-binding, and the rewritten queries.

Every function here reads the rule's code as ``sparql_text.mask`` leaves it (comments dropped,
strings and IRIs set aside), and finds keywords, variables and brackets through sparql_text, so
that ``?where``, ``ex:a.SELECT`` or a brace in a string is never taken for the rule's own.
"""

from __future__ import annotations

import re

from wegokg.core.sparql_text import closing_bracket, keyword_search, variables, words

# What pySHACL runs and the compiled path does not: SHACL forbids some of these in a constraint
# (and pySHACL says which); the others (another pre-bound variable, a subquery) it can run.
_LEFT_TO_PYSHACL_WORDS = {"MINUS", "VALUES", "SERVICE"}
_BOUND_BY_PYSHACL = {"shapesGraph", "currentShape"}
_AS_PRE_BOUND = re.compile(r"AS\s+[?$](this|value|path|PATH)\b", re.IGNORECASE)
_AS = re.compile(r"AS\s+[?$](\w+)", re.IGNORECASE)
_WHERE = re.compile(r"WHERE\b", re.IGNORECASE)
_WHERE_GROUP = re.compile(r"WHERE\s*\{", re.IGNORECASE)
_EXISTS = re.compile(r"EXISTS\b", re.IGNORECASE)
_EXISTS_GROUP = re.compile(r"(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
_FILTER = re.compile(r"FILTER\b", re.IGNORECASE)
_FILTER_EXISTS = re.compile(r"FILTER\s*(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
_MODIFIER = re.compile(r"(?:GROUP|ORDER|LIMIT|OFFSET|HAVING)\b", re.IGNORECASE)
_INNER = re.compile(r"(?:SELECT|VALUES|SERVICE|GRAPH|MINUS|OPTIONAL|UNION)\b", re.IGNORECASE)


def left_to_pyshacl(code: str) -> bool:
    """Whether the rule uses what only pySHACL runs: MINUS, VALUES, SERVICE, a subquery, the
    pre-bound $shapesGraph or $currentShape, or ``AS`` one of the pre-bound variables."""
    found = words(code)
    return (
        bool(set(found) & _LEFT_TO_PYSHACL_WORDS)
        or found.count("SELECT") > 1
        or bool(variables(code) & _BOUND_BY_PYSHACL)
        or keyword_search(_AS_PRE_BOUND, code) is not None
    )


def where_keyword(code: str) -> re.Match | None:
    """The keyword WHERE of the rule, or None (it is optional before the group)."""
    return keyword_search(_WHERE, code)


def selects_exists(projection: str) -> bool:
    return keyword_search(_EXISTS, projection) is not None


def projected(projection: str) -> list[str]:
    """The variables a SELECT clause projects: its bare variables and each (… AS ?v)."""
    named = set()
    at = 0
    while (found := keyword_search(_AS, projection, at)) is not None:
        named.add(found.group(1))
        at = found.end()
    while (flat := re.sub(r"\([^()]*\)", " ", projection)) != projection:
        projection = flat
    return sorted(named | variables(projection))


def join_safe(body: str) -> bool:
    """Whether ?this may be joined to the targets rather than pre-bound: true when the WHERE
    clause's only inner groups are FILTER [NOT] EXISTS, which see the joined ?this."""
    where = body[body.index("{") + 1 : body.rindex("}")] if "{" in body else ""
    stripped = where
    while (match := keyword_search(_EXISTS_GROUP, stripped)) is not None:
        end = closing_bracket(stripped, match.end() - 1)
        if end is None:
            return False
        stripped = stripped[: match.start()] + stripped[end + 1 :]
    return "{" not in stripped and "}" not in stripped and not keyword_search(_INNER, stripped)


def focus_first(body: str, target: str) -> tuple[str, list[tuple[bool, str]]] | None:
    """For a query that returns only ?this, its top-level FILTER [NOT] EXISTS tests taken apart:
    a query for the candidate focus nodes, and for each test a query for the focus nodes that
    have a match. Only when each test shares no variable but ?this with the rest and binds ?this
    in a triple pattern of its own, so that the result is the same set of focus nodes.

    Without this, NameInEvidenceRule grows with the square of the data (at 10^5 triples, 1.6 s
    instead of 0.08 s)."""
    match = keyword_search(_WHERE_GROUP, body)
    if match is None or keyword_search(_MODIFIER, body):
        return None
    where = body[match.end() : body.rindex("}")]
    tests, rest = [], where
    while (found := keyword_search(_FILTER_EXISTS, rest)) is not None:
        end = closing_bracket(rest, found.end() - 1)
        if end is None:
            return None
        tests.append((found.group(1) is not None, rest[found.end() : end]))
        rest = rest[: found.start()] + rest[end + 1 :]
    if not tests:
        return None
    for _, inner in tests:
        shared = variables(inner) & variables(rest)
        if not shared <= {"this"} or not join_safe(f"WHERE {{ {inner} }}"):
            return None
        if "this" not in variables(_without_filters(inner)):
            return None
    candidates = f"SELECT DISTINCT ?this WHERE {{ {target} {rest} }}"
    return candidates, [
        (negated, f"SELECT DISTINCT ?this WHERE {{ {target} {inner} }}") for negated, inner in tests
    ]


def _without_filters(pattern: str) -> str:
    """The pattern without its FILTERs (their parenthesised or braced parts)."""
    while (found := keyword_search(_FILTER, pattern)) is not None:
        start = found.end()
        while start < len(pattern) and pattern[start] not in "({":
            start += 1
        if start == len(pattern):
            return pattern[: found.start()]
        end = closing_bracket(pattern, start)
        end = len(pattern) - 1 if end is None else end
        pattern = pattern[: found.start()] + pattern[end + 1 :]
    return pattern


def inject_target(body: str, target: str) -> str | None:
    """The SELECT with the target pattern as the first element of its WHERE group."""
    match = keyword_search(_WHERE_GROUP, body)
    if match is None:
        return None
    if keyword_search(_MODIFIER, body, body.rindex("}")):
        return None
    select = body[: match.start()]
    if "this" not in variables(select) and "*" not in select:
        return None
    return f"{select}WHERE {{ {target} {body[match.end() :]}"


# An alternative path of plain predicates (``rdfs:label|skos:altLabel``, or IRIs, which ``mask``
# has set aside), standing alone between blanks as a predicate does.
_NAME = r"(?:(?:[^\W\d][\w.-]*)?:(?:[\w:%-]|\.(?=[\w:%.-])|\\.)*|\x00\d+\x00)"
_ALTERNATIVES = re.compile(rf"(?<=[\s;{{]){_NAME}(?:\|{_NAME})+(?=\s)")


def alternatives_as_values(code: str) -> str:
    """The query with each alternative path of plain predicates, ``?s p1|p2 ?o``, written
    ``?s ?alt ?o`` with ``VALUES ?alt { p1 p2 }`` at the start of its group: the same solutions
    (SPARQL 1.1 section 18.4 evaluates ``p1|p2`` as the union of ``p1`` and ``p2``, and the VALUES
    join gives each one once per predicate), and the fresh variable is seen by nothing else.

    pyoxigraph 0.5 joins a union (an alternative path is one) with the rest of its group as a
    cartesian product: NameInEvidenceRule's test, ``$this rdfs:label|skos:altLabel ?name ;
    wego:evidence/oa:exact ?text``, took 7 s of CPU at 10^6 triples, and 0.3 s with VALUES."""
    taken = variables(code)
    fresh = 0
    while (found := _ALTERNATIVES.search(code)) is not None:
        while f"alt{fresh}" in taken:
            fresh += 1
        name = f"?alt{fresh}"
        taken.add(name[1:])
        group = _opening_brace(code, found.start())
        if group is None:
            return code
        values = f" VALUES {name} {{ {' '.join(found.group().split('|'))} }} "
        code = (
            code[: group + 1]
            + values
            + code[group + 1 : found.start()]
            + name
            + code[found.end() :]
        )
    return code


def _opening_brace(code: str, at: int) -> int | None:
    """Where the innermost group around position ``at`` of the code opens."""
    depth = 0
    for index in range(at - 1, -1, -1):
        if code[index] == "}":
            depth += 1
        elif code[index] == "{":
            if depth == 0:
                return index
            depth -= 1
    return None
