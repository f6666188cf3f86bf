"""Every choice list of the command line is a registry of the library, never a copy: a format the
results writer gains is offered by ``query run --format`` the same day (it once lacked ``xml``)."""

from __future__ import annotations

import argparse

from wegokg.cli.main import build_parser
from wegokg.curate.formats import DRAFT_FORMATS
from wegokg.publish.formats import EXPORT_CHOICES, EXPORT_FORMATS, LOAD_METHODS, VIEWS
from wegokg.query.formats import (
    ENGINE_CHOICES,
    ENGINES,
    GRAPH_FORMATS,
    LANGUAGES,
    RESULT_FORMATS,
)
from wegokg.validation.report import COVERAGE_FORMATS, REPORT_FORMATS

# (command, option) -> the registry its choices come from.
REGISTRIES = {
    ("validate", "--format"): REPORT_FORMATS,
    ("coverage", "--format"): COVERAGE_FORMATS,
    ("tour", "--lang"): LANGUAGES,
    ("query list", "--lang"): LANGUAGES,
    ("query run", "--engine"): ENGINE_CHOICES,
    ("query run", "--format"): RESULT_FORMATS,
    ("query run", "--lang"): LANGUAGES,
    ("sparql", "--engine"): ENGINE_CHOICES,
    ("sparql", "--format"): (*RESULT_FORMATS, *GRAPH_FORMATS),
    ("sparql", "--lang"): LANGUAGES,
    ("search", "--lang"): LANGUAGES,
    ("search", "--format"): RESULT_FORMATS,
    ("export", "--format"): EXPORT_CHOICES,
    ("export", "--view"): VIEWS,
    ("load", "--method"): LOAD_METHODS,
    ("draft", "--format"): DRAFT_FORMATS,
}


def choice_lists(parser: argparse.ArgumentParser, path: str = ""):
    """(command, option, choices) of every option with choices, in every subcommand."""
    for action in parser._actions:  # argparse keeps no public list of them
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from choice_lists(sub, f"{path} {name}".strip())
        elif action.choices is not None:
            yield (
                path,
                action.option_strings[-1] if action.option_strings else action.dest,
                (tuple(action.choices)),
            )


def test_every_choice_list_is_a_registry_of_the_library():
    found = {
        (command, option): choices for command, option, choices in choice_lists(build_parser())
    }
    assert set(found) == set(REGISTRIES), "a choices= without its registry in REGISTRIES"
    for key, choices in found.items():
        assert choices == tuple(REGISTRIES[key]), key


def test_query_run_offers_every_format_the_results_writer_writes():
    from wegokg.query import results

    assert "xml" in RESULT_FORMATS and results.FORMATS == RESULT_FORMATS


def test_the_registries_are_what_their_owners_implement():
    from wegokg.publish import exports, upload
    from wegokg.query import engines, results
    from wegokg.validation import report_formats

    assert tuple(exports.FORMATS) == EXPORT_FORMATS
    assert tuple(exports.VIEW_FILES) == VIEWS
    assert upload.METHODS == LOAD_METHODS
    assert engines.ENGINES == ENGINES and ("auto", *ENGINES) == ENGINE_CHOICES
    assert results.GRAPH_FORMATS == GRAPH_FORMATS
    assert report_formats.FORMATS == REPORT_FORMATS
