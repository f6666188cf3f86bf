"""The names the query layer offers, in a module that imports nothing, so that the command line's
choices read them without loading rdflib: the results formats, the graph formats, the engines and
the label languages."""

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")  # SELECT and ASK answers
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")  # CONSTRUCT and DESCRIBE answers
ENGINES = ("rdflib", "oxigraph")  # the embedded engines; "auto" picks one
ENGINE_CHOICES = ("auto", *ENGINES)
LANGUAGES = ("en", "ko")  # the languages of labels and titles
