"""The server: `wegokg serve` (site, SPARQL protocol, query page) and the Reconciliation API."""
