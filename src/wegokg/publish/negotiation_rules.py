"""The nginx and Apache httpd rules of deploy/, generated from the content-negotiation table
(``wegokg.publish.negotiation``), so that they choose the document ``wegokg serve`` chooses.

Neither server can do arithmetic in its configuration (and nginx has no njs here), so the rule is
spelt in regular expressions, in two stages, with no more than ``map`` (nginx) and ``RewriteCond``
(mod_rewrite):

1. For each document, the weight the Accept header gives its media type, as five digits: the
   qvalue in thousandths (``0500``) and the specificity of the range it came from (3 exact,
   2 ``type/*``, 1 ``*/*``, 0 none). A list of patterns, the first that matches wins; each finds
   the first valid range of one specificity with one way of writing its qvalue, and the value
   pads the digits it captured (``0.5`` -> ``0500``). Not matched: ``00000``.
2. The weights joined (``10003:05003:00000:00000:``) and matched against one pattern per
   document, which holds when its weight is above zero, above the weights of the documents
   before it, and not below those after it. Fixed-width digits compare as text; a pattern
   compares two of them with a back-reference to their common prefix and the first digit that
   differs.

``choose_by_rules`` runs the same patterns with Python's ``re``, so the tests check the patterns
against ``negotiation.choose`` on many headers, and the real servers on a matrix of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wegokg.publish.negotiation import ANY, DOCUMENTS, EXACT, SUBTYPE_WILDCARD, Document

# Pieces of RFC 9110's grammar, written with \x20 and \x22 so that no pattern needs quoting in
# Apache's configuration syntax.
_OWS = r"[\x20\t]*"
_TOKEN = r"[-!#$%&'*+.^_`|~0-9A-Za-z]+"
_QUOTED = r"\x22(?:[^\x22\\,]|\\[^,])*\x22"
_PARAM = rf"{_OWS};{_OWS}{_TOKEN}=(?:{_TOKEN}|{_QUOTED})"
_PARAM_NOT_Q = rf"{_OWS};{_OWS}(?![qQ]=){_TOKEN}=(?:{_TOKEN}|{_QUOTED})"
_QVALUE = r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)"
_END = rf"{_OWS}(?:,|$)"
# The ways of writing a qvalue, each with the weight it stands for ("{1}": the digits captured).
_QVALUE_FORMS = (
    (r"1(?:\.0{0,3})?", "1000"),
    (r"0\.?", "0000"),
    (r"0\.([0-9])", "0{1}00"),
    (r"0\.([0-9]{2})", "0{1}0"),
    (r"0\.([0-9]{3})", "0{1}"),
)
_FIELD = r"[0-9]{5}:"
NOT_ACCEPTABLE = "00000"


@dataclass(frozen=True)
class Step:
    """A pattern over the Accept header and the weight it gives ("{1}": its first group)."""

    pattern: str
    value: str


def _element(media_range: str, qvalue: str | None) -> str:
    weight = "" if qvalue is None else rf"{_OWS};{_OWS}[qQ]={qvalue}(?:{_PARAM})*"
    return rf"{_OWS}{media_range}(?:{_PARAM_NOT_Q})*{weight}{_END}"


def weight_steps(document: Document) -> list[Step]:
    """The patterns that give a document's weight, in order: the first that matches wins."""
    kind = document.media_type.split("/")[0]
    ranges = (
        (EXACT, re.escape(document.media_type)),
        (SUBTYPE_WILDCARD, re.escape(kind) + r"/\*"),
        (ANY, r"\*/\*"),
    )
    steps = [Step(rf"^{_OWS}$", f"1000{ANY}")]  # no Accept header, or a blank one: */*
    for specificity, media_range in ranges:
        weight = rf"(?:{_OWS};{_OWS}[qQ]={_QVALUE}(?:{_PARAM})*)?"
        valid = rf"{_OWS}{media_range}(?:{_PARAM_NOT_Q})*{weight}{_END}"
        before = rf"^(?:(?!{valid})[^,]*,)*"  # the ranges before the first valid one of this kind
        steps.append(Step(before + _element(media_range, None), f"1000{specificity}"))
        for qvalue, weight in _QVALUE_FORMS:
            steps.append(Step(before + _element(media_range, qvalue), f"{weight}{specificity}"))
    return steps


def _less(earlier: int, later: int, group: int) -> str:
    """A pattern holding when weight number ``earlier`` is below weight number ``later``."""
    between = rf"(?:{_FIELD}){{{later - earlier - 1}}}" if later - earlier > 1 else ""
    differs = "|".join(rf"{digit}[0-9]*:{between}\{group}[{digit + 1}-9]" for digit in range(9))
    skip = rf"(?:{_FIELD}){{{earlier}}}" if earlier else ""
    return rf"{skip}([0-9]*)(?:{differs})"


def decision_patterns() -> dict[str, str]:
    """For each document suffix, the pattern over the joined weights under which it wins."""
    patterns = {}
    for index, document in enumerate(DOCUMENTS):
        skip = rf"(?:{_FIELD}){{{index}}}" if index else ""
        parts = [rf"^(?={skip}(?!0000))"]
        group = 0
        for other in range(len(DOCUMENTS)):
            if other == index:
                continue
            group += 1
            if other < index:
                parts.append(f"(?={_less(other, index, group)})")
            else:
                parts.append(f"(?!{_less(index, other, group)})")
        patterns[document.suffix] = "".join(parts)
    return patterns


def weigh_by_rules(header: str | None, document: Document) -> str:
    for step in weight_steps(document):
        matched = re.search(step.pattern, header or "", re.IGNORECASE)
        if matched:
            return step.value.replace("{1}", matched[1] if "{1}" in step.value else "")
    return NOT_ACCEPTABLE


def choose_by_rules(header: str | None) -> str | None:
    """The suffix the generated rules choose, run with Python's ``re``; None means 406."""
    joined = "".join(weigh_by_rules(header, document) + ":" for document in DOCUMENTS)
    for suffix, pattern in decision_patterns().items():
        if re.search(pattern, joined):
            return suffix
    return None


# -- Rendering -------------------------------------------------------------------------------

GENERATED = "generated by `wegokg conneg` from src/wegokg/publish/negotiation.py: do not edit"
BEGIN = "# -- BEGIN generated --"
END = "# -- END generated --"


def _rule_summary() -> list[str]:
    return [
        "# Offered, in this order:",
        *(f"#   {d.media_type} (.{d.suffix})" for d in DOCUMENTS),
        "# The rule (RFC 9110, 12.5.1; see src/wegokg/publish/negotiation.py):"
        " each type takes the q of",
        "# the most specific range that names it (type, then type/*, then */*; an absent or blank",
        "# header is */*). The highest q wins; at equal q the type named most specifically, then",
        "# the first offered. Nothing acceptable: 406.",
    ]


def _nginx_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _variable(document: Document) -> str:
    return f"wegokg_weight_{document.suffix}"


def nginx_accept_conf() -> str:
    """deploy/nginx/wegokg-accept.conf: maps that set $wegokg_document (empty: 406)."""
    lines = [
        "# wegokg content negotiation for nginx, part 1 of 2: include this in the `http` block.",
        f"# {GENERATED}.",
        "#",
        "# Sets $wegokg_document, the suffix of the document that answers a resource IRI for the",
        "# request's Accept header, or nothing when no document is acceptable (406).",
        *_rule_summary(),
        "# How the maps compute it is explained in src/wegokg/publish/negotiation_rules.py.",
    ]
    for document in DOCUMENTS:
        lines += [
            "",
            f"map $http_accept ${_variable(document)} {{",
            f"    default {NOT_ACCEPTABLE};",
        ]
        steps = weight_steps(document)
        # nginx's map matches no regular expression against an empty header, only the key "".
        lines.append(f'    "" {steps[0].value};')
        for step in steps:
            value = step.value.replace("{1}", "$1")
            lines.append(f"    {_nginx_string('~*' + step.pattern)} {value};")
        lines.append("}")
    joined = "".join(f"${_variable(d)}:" for d in DOCUMENTS)
    lines += ["", f'map "{joined}" $wegokg_document {{', '    default "";']
    for suffix, pattern in decision_patterns().items():
        lines.append(f"    {_nginx_string('~' + pattern)} {suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _apache_variable(document: Document) -> str:
    return f"WEGOKG_WEIGHT_{document.suffix.upper()}"


def apache_block() -> str:
    """The mod_rewrite rules that set the environment variable WEGOKG_DOC (empty: 406)."""
    lines = [
        BEGIN,
        f"# {GENERATED}.",
        "# Sets WEGOKG_DOC to the suffix of the document that answers a resource IRI for the",
        "# request's Accept header, or to nothing when no document is acceptable (406).",
        *_rule_summary(),
        "# How the rules compute it is explained in src/wegokg/publish/negotiation_rules.py."
        " Within each",
        "# group the last rule that matches wins, so the most specific come last.",
    ]
    for document in DOCUMENTS:
        variable = _apache_variable(document)
        lines += ["", f"RewriteRule ^ - [E={variable}:{NOT_ACCEPTABLE}]"]
        for step in reversed(weight_steps(document)):
            value = step.value.replace("{1}", "%1")
            lines += [
                f"RewriteCond %{{HTTP_ACCEPT}} {step.pattern} [NC]",
                f"RewriteRule ^ - [E={variable}:{value}]",
            ]
    joined = "".join(f"%{{ENV:{_apache_variable(d)}}}:" for d in DOCUMENTS)
    lines += ["", "RewriteRule ^ - [E=WEGOKG_DOC:]"]
    for suffix, pattern in decision_patterns().items():
        lines += [f"RewriteCond {joined} {pattern}", f"RewriteRule ^ - [E=WEGOKG_DOC:{suffix}]"]
    lines.append(END)
    return "\n".join(lines)


# -- The files in deploy/ ----------------------------------------------------------------------

NGINX_ACCEPT = Path("nginx/wegokg-accept.conf")
APACHE_FILES = (Path("apache.conf"), Path("w3id.htaccess"))


class DeployRulesError(ValueError):
    """A deploy/ file lacks the markers between which the generated rules go."""


def expected_deploy_files(deploy: Path) -> dict[Path, str]:
    """Each generated deploy/ file with the text it should have: the nginx map whole, and in the
    Apache files the block between the BEGIN and END markers."""
    files = {deploy / NGINX_ACCEPT: nginx_accept_conf()}
    block = apache_block()
    for name in APACHE_FILES:
        path = deploy / name
        text = path.read_text(encoding="utf-8")
        start, end = text.find(BEGIN), text.find(END)
        if start < 0 or end < start:
            raise DeployRulesError(
                f"{path} has no generated block: put the lines {BEGIN!r} and {END!r} where the "
                "content-negotiation rules go, then run `wegokg conneg` again"
            )
        files[path] = text[:start] + block + text[end + len(END) :]
    return files


def deploy_changes(deploy: Path) -> dict[Path, str]:
    """The generated deploy/ files whose text differs from the table's rules, each with the text
    it should hold (``wegokg conneg`` writes them)."""
    return {
        path: text
        for path, text in expected_deploy_files(deploy).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    }


def stale_deploy_files(deploy: Path) -> list[Path]:
    """The generated deploy/ files whose text differs from the table's rules."""
    return list(deploy_changes(deploy))
