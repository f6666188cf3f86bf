"""The version of wegokg: the one place it is written. The package metadata (pyproject.toml reads
it through hatch), ``wegokg --version``, VoID and DCAT, the exports, the site, the releases,
CITATION.cff, codemeta.json and the ontology's owl:versionInfo all take it from here (tests check
the files that cannot import it)."""

VERSION = "0.1.0"
