"""Keep rdflib from printing tracebacks about ill-typed literals.

When rdflib meets a literal whose lexical form does not fit its datatype ("2021-13-45"^^xsd:date),
it keeps the literal, as RDF says it should, but also logs a warning with a full traceback through
the ``rdflib.term`` logger: some thirty lines on stderr before the tool's own message. The SHACL
shapes report such a literal with its file and line, so this log record adds nothing and is dropped.
Importing this module installs the filter once; every other rdflib message still gets through.
"""

from __future__ import annotations

import logging

ILL_TYPED = "Failed to convert Literal lexical form to value"


class _DropIllTypedLiteralWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(ILL_TYPED)


_logger = logging.getLogger("rdflib.term")
if not any(isinstance(f, _DropIllTypedLiteralWarnings) for f in _logger.filters):
    _logger.addFilter(_DropIllTypedLiteralWarnings())
