"""Querying: the stored-query catalog, the engines that run SPARQL, their results, name search
and matching, and the worker processes."""
