"""The few statements the evidence and coverage checks read, indexed in plain dictionaries.

At 10^6 triples building an rdflib Graph of them took most of the evidence check's time (its
store indexes every statement three ways, and ``Graph.value`` goes through its generic pattern
matching). ``EvidenceGraph`` answers the three questions those checks ask of a graph
(``value``, ``subjects``, ``transitive_subjects``) the way rdflib's Graph does, with the same
rdflib terms, so the checks take either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib.term import Node


class EvidenceGraph:
    """A set of triples of rdflib terms, looked up by (subject, predicate) and by
    (predicate, object)."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]] = ()) -> None:
        self._objects: dict[tuple[Node, Node], dict[Node, None]] = {}
        self._subjects: dict[tuple[Node, Node], dict[Node, None]] = {}
        for s, p, o in triples:
            self._objects.setdefault((s, p), {})[o] = None
            self._subjects.setdefault((p, o), {})[s] = None

    def __len__(self) -> int:
        return sum(len(objects) for objects in self._objects.values())

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One object of (subject, predicate), or None, as ``rdflib.Graph.value``."""
        for found in self._objects.get((subject, predicate), ()):
            return found
        return None

    def subjects(self, predicate: Node, object: Node) -> Iterator[Node]:  # noqa: A002
        """The subjects of (predicate, object), each once."""
        yield from list(self._subjects.get((predicate, object), ()))

    def transitive_subjects(self, predicate: Node, object: Node) -> Iterator[Node]:  # noqa: A002
        """``object``, then every subject that reaches it by ``predicate`` steps, each once, as
        ``rdflib.Graph.transitive_subjects``."""
        seen = {object}
        waiting = [object]
        yield object
        while waiting:
            for subject in self.subjects(predicate, waiting.pop()):
                if subject not in seen:
                    seen.add(subject)
                    waiting.append(subject)
                    yield subject
