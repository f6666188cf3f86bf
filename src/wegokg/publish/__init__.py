"""Publishing: the exports, the static site, releases, the schema.org view and alignments,
loading into remote stores, the diagram and the content-negotiation rules."""
