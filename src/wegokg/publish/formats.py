"""The names the publish layer offers, in a module that imports nothing, so that the command
line's choices read them without loading rdflib: the export formats and views, and the methods of
loading into a remote store. ``exports.FORMATS``, ``exports.VIEW_FILES`` and ``upload.METHODS``
are these (tests/test_cli_choices.py checks it)."""

EXPORT_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
EXPORT_CHOICES = (*EXPORT_FORMATS, "all")
VIEWS = ("schema",)  # schema: the schema.org view, wegokg-schema.jsonld
LOAD_METHODS = ("gsp", "update")  # the Graph Store Protocol, or SPARQL Update
