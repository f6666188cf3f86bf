"""Hostile data stays inert: parsing fetches nothing and reads no file it was not given, and huge
or deeply nested input is handled without a crash (issue 9, section 3).

The toolkit parses user-supplied RDF in one place, wegokg.core.loading.parse_turtle (the data,
shapes and extra files of ``load`` and ``validate``), and the formatter; both read Turtle only. The
tests block every socket and record every file opened while parsing, through Python's audit hooks.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph

from wegokg.core.loading import LoadError, load, parse_turtle
from wegokg.curate.turtle_format import TurtleFormatError, format_turtle

_recorders: list[list[tuple[str, str]]] = []


def _audit(event: str, args: tuple) -> None:
    if _recorders and event in ("open", "socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _recorders[-1].append((event, str(args[0])))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one records only inside `watched`


@pytest.fixture
def watched(monkeypatch):
    """Blocks every socket and yields the list of (event, target) seen while the test runs."""

    def refuse(*args, **kwargs):
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    events: list[tuple[str, str]] = []
    _recorders.append(events)
    yield events
    _recorders.remove(events)


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file that no parser was given, and which must therefore never be opened."""
    path = tmp_path / "secret.txt"
    path.write_text("SECRET-DO-NOT-READ\n")
    return path


def network(events) -> list[tuple[str, str]]:
    return [e for e in events if e[0] != "open"]


def opened(events, path: Path) -> bool:
    return any(e == ("open", str(path)) for e in events)


def xxe(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
  <!ENTITY local SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "http://example.org/entity">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://x/">
  <rdf:Description rdf:about="https://x/a"><ex:p>&local;</ex:p><ex:q>&remote;</ex:q></rdf:Description>
</rdf:RDF>
"""


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY l0 "ha">\n'
    + "".join(f'  <!ENTITY l{i} "{f"&l{i - 1};" * 10}">\n' for i in range(1, 10))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="https://x/"><rdf:Description rdf:about="https://x/a"><ex:p>&l9;</ex:p>'
    "</rdf:Description></rdf:RDF>\n"
)


def json_ld(context: str) -> str:
    return f'{{"@context": "{context}", "@id": "https://x/a", "name": "a"}}\n'


def test_turtle_with_owl_imports_loads_and_validates_without_fetching(tmp_path, watched):
    from wegokg.validation.run import validate

    path = tmp_path / "imports.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://x/ontology> a owl:Ontology ;\n"
        "    owl:imports <http://example.org/remote-ontology.ttl> .\n"
    )
    dataset = load(ROOT, extra_files=[path])
    assert len(dataset) > 0
    validate(ROOT, extra_files=[path])  # its report may complain; it must not fetch
    assert network(watched) == []


@pytest.mark.parametrize(
    "name,content",
    [
        ("json-ld-remote-context", json_ld("http://example.org/context.jsonld")),
        ("rdf-xml-billion-laughs", BILLION_LAUGHS),
    ],
)
def test_the_loader_reads_only_turtle_so_other_syntaxes_are_refused(
    tmp_path, watched, name, content
):
    path = tmp_path / f"{name}.ttl"
    path.write_text(content)
    with pytest.raises(LoadError, match="Turtle syntax error"):
        load(ROOT, extra_files=[path])
    assert network(watched) == []


def test_the_loader_refuses_rdf_xml_with_external_entities(tmp_path, secret, watched):
    path = tmp_path / "xxe.ttl"
    path.write_text(xxe(secret))
    with pytest.raises(LoadError, match="Turtle syntax error"):
        parse_turtle(path)
    assert not opened(watched, secret) and network(watched) == []


def test_the_loader_refuses_json_ld_whose_context_is_a_local_file(tmp_path, secret, watched):
    path = tmp_path / "context.ttl"
    path.write_text(json_ld(secret.as_uri()))
    with pytest.raises(LoadError):
        parse_turtle(path)
    assert not opened(watched, secret)


def test_rdflib_leaves_external_entities_in_rdf_xml_unexpanded(secret, watched):
    """Where RDF/XML reaches rdflib (the export's round trip), XXE stays inert."""
    graph = Graph().parse(data=xxe(secret), format="xml")
    assert {str(o) for o in graph.objects()} == {""}
    assert not opened(watched, secret) and network(watched) == []


def test_the_formatter_reads_no_entity_and_fetches_nothing(secret, watched):
    with pytest.raises(TurtleFormatError):
        format_turtle(xxe(secret), "xxe.ttl")
    assert not opened(watched, secret) and network(watched) == []


def test_a_ten_megabyte_literal_loads(tmp_path, watched):
    path = tmp_path / "big.ttl"
    text = "가나다라마바사 " * (10 * 1024 * 1024 // 22)
    path.write_text(f'<https://x/a> <https://x/p> """{text}""" .\n', encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    [(_, _, literal)] = list(parse_turtle(path))
    assert str(literal) == text


def test_a_deeply_nested_collection_is_a_clear_error_in_the_formatter():
    nested = "<https://x/a> <https://x/b> " + "(" * 100_000 + ")" * 100_000 + " .\n"
    with pytest.raises(TurtleFormatError, match="nested too deeply"):
        format_turtle(nested, "deep.ttl")


def test_a_deeply_nested_collection_fails_validation_cleanly(tmp_path):
    from wegokg.validation.run import validate

    path = tmp_path / "deep.ttl"
    path.write_text(
        "<https://x/a> <https://x/b> " + "[ <https://x/c> " * 50_000 + "]" * 50_000 + " .\n"
    )
    # Either parser may be the first to read it: rdflib says it is nested too deeply, pyoxigraph
    # reads all the way in and names the innermost fault. Both are one located error.
    with pytest.raises(LoadError, match="nested too deeply|deep.ttl:1: Turtle syntax error"):
        validate(ROOT, extra_files=[path])


def test_the_watch_sees_a_parser_that_does_read_a_file(secret, watched):
    """Why the loader must never hand JSON-LD to rdflib: its parser reads a local @context (and
    would fetch a remote one). This also shows that the checks above can fail."""
    with pytest.raises(ValueError):
        Graph().parse(data=json_ld(secret.as_uri()), format="json-ld")
    assert opened(watched, secret)
