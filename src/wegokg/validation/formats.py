"""The names of the validation report's formats, in a module of their own: the command line
reads them to build its parser, without loading the report or rdflib."""

REPORT_FORMATS = ("text", "json", "shacl", "github", "junit", "sarif")  # report_formats.render
COVERAGE_FORMATS = ("text", "json")  # coverage.CoverageReport.to_text and to_json
