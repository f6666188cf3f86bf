"""The ground floor: where the files are (Repository), parsing them (loading), and what every
other part shares: namespaces, errors, IRI checks, the SPARQL-text scanner, the HTTP client, atomic
writes, progress and the version."""
