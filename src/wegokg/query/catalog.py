"""The query catalog: the competency questions stored in queries/, one .rq file each.

Each file's header gives its title (in English and Korean), a description, keywords, its expected
use and its parameters:

    # param: city (iri, default city:seongnam) The city to describe.

Stored queries are SELECT or ASK; a file that does not parse, or holds another form, is refused
when the catalog is read. Values are converted to typed RDF terms, and each engine binds them
(see wegokg.query.query_binding): nothing the user types is pasted into the query as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from wegokg.core.errors import UsageError
from wegokg.core.iri import KNOWN_SCHEMES, iri_problem
from wegokg.core.namespaces import PREFIXES
from wegokg.core.queryfile import QueryFile, QueryFileError, UnusableQueryError, read_query_file
from wegokg.core.sparql_text import code_only, code_start, variables
from wegokg.query.query_binding import BindingError, with_values
from wegokg.query.query_binding import sparql_term as _sparql_term

if TYPE_CHECKING:
    from wegokg.core.repository import Repository
    from wegokg.query.engines import QueryEngine, Term

_XSD = "http://www.w3.org/2001/XMLSchema#"
PARAMETER_TYPES = ("iri", "string", "integer", "date", "boolean")
LANGUAGE_PARAMETERS = ("lang",)  # string parameters whose value is a language tag
_OCCURS = "SELECT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } } LIMIT 1"
_LANGUAGES = (
    "SELECT DISTINCT (LCASE(LANG(?label)) AS ?lang) WHERE { ?s ?p ?label FILTER isLiteral(?label) }"
)
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+\((?P<type>\w+)(?:,\s*default\s+(?P<default>[^)]+))?\)\s*(?P<about>.*)$"
)


class CatalogError(UsageError, ValueError):
    """A problem with a stored query, or with how it was asked to run."""


class UnknownQueryError(CatalogError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name, self.suggestions = name, suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"there is no query named {name!r}.{hint} ('wegokg query list' lists them)"
        )


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str

    def to_term(self, value: str) -> Term:
        """Convert a value given as text into an RDF term (pyoxigraph's) of this parameter's
        type."""
        value = value.strip()
        problem = f"parameter {self.name!r} takes {self.type_phrase}, not {value!r}"
        if self.type == "iri":
            iri = expand_iri(value, problem)
            try:
                return pyoxigraph.NamedNode(iri)
            except ValueError as error:  # what the IRI check lets through and RDF does not
                raise CatalogError(f"{problem}: {error}") from None
        if self.type == "string":
            return pyoxigraph.Literal(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]+", value):
                raise CatalogError(problem)
            return _typed(str(int(value)), "integer")
        if self.type == "date":
            from datetime import date

            try:
                return _typed(date.fromisoformat(value).isoformat(), "date")
            except ValueError:
                raise CatalogError(problem) from None
        if value not in ("true", "false"):
            raise CatalogError(problem)
        return _typed(value, "boolean")

    @property
    def type_phrase(self) -> str:
        return {
            "iri": "an IRI (like city:seongnam or <https://…>)",
            "string": "a string",
            "integer": "an integer",
            "date": "a date (YYYY-MM-DD)",
            "boolean": "true or false",
        }[self.type]


@dataclass(frozen=True)
class StoredQuery:
    """One competency question from queries/."""

    file: QueryFile
    parameters: tuple[Parameter, ...]

    name = property(lambda self: self.file.name)
    text = property(lambda self: self.file.text)
    title = property(lambda self: self.file.get("title", ""))
    title_ko = property(lambda self: self.file.get("title-ko", ""))
    description = property(lambda self: self.file.get("description", ""))
    use = property(lambda self: self.file.get("use", ""))

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in (self.file.get("keywords") or "").split(",") if k.strip())

    def bind(self, values: dict[str, str]) -> dict[str, Term]:
        """Typed terms for every parameter: the given value, else the default."""
        declared = {p.name: p for p in self.parameters}
        for name in values:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise CatalogError(
                    f"query {self.name!r} has no parameter {name!r} (its parameters: {known})"
                )
        bound = {}
        for parameter in self.parameters:
            given = values.get(parameter.name, parameter.default)
            if given is None:
                raise CatalogError(f"query {self.name!r} needs --param {parameter.name}=…")
            bound[parameter.name] = parameter.to_term(given)
        return bound

    def warnings(self, values: dict[str, str], engine: QueryEngine) -> list[str]:
        """Why the given values may find nothing: an IRI that occurs nowhere in the data, or a
        language (a parameter named ``lang``) that no label of the data is written in."""
        bound = self.bind(values)
        found = []
        for name in values:
            term = bound[name]
            if (
                isinstance(term, pyoxigraph.NamedNode)
                and not engine.select(_OCCURS, {"x": term}).rows
            ):
                found.append(
                    f"{name}={values[name].strip()}: {term} does not occur in the data, "
                    "so the query will find nothing about it"
                )
            elif name in LANGUAGE_PARAMETERS:
                languages = sorted(
                    {row[0].value for row in engine.select(_LANGUAGES).rows if row[0]}
                )
                if term.value.lower() not in languages:
                    found.append(
                        f"{name}={term.value!r} is not a language of the data "
                        f"({', '.join(languages)}), so the query will find nothing"
                    )
        return found

    def render(self, values: dict[str, str] | None = None) -> str:
        """The query text with its parameters in a VALUES block at the outer WHERE: what an
        endpoint is sent, and what the site shows."""
        return insert_values(self.text, self.bind(values or {}))

    def select(self, engine: QueryEngine, values: dict[str, str] | None = None):
        """Run the query on ``engine``, which binds the parameters its own way."""
        return engine.select(self.text, self.bind(values or {}))


class QueryCatalog:
    """All stored queries, by name."""

    def __init__(self, queries: list[StoredQuery]) -> None:
        self.queries = {q.name: q for q in sorted(queries, key=lambda q: q.name)}

    @classmethod
    def from_files(cls, paths: list[Path]) -> QueryCatalog:
        return cls([read_stored_query(path) for path in paths])

    @classmethod
    def read_one(cls, paths: list[Path], name: str) -> StoredQuery:
        """The query ``name``, read from its own file only (a command that runs one query need
        not parse them all); when no file has that name, all are read, to suggest the nearest."""
        for path in paths:
            if path.stem == name:
                return read_stored_query(path)
        return cls.from_files(paths).get(name)

    @classmethod
    def from_folder(cls, folder: Path) -> QueryCatalog:
        return cls.from_files(sorted(folder.glob("*.rq")))

    @classmethod
    def from_repository(cls, root: Path | Repository | None = None) -> QueryCatalog:
        """The catalog of a repository (by default the one ``Repository.find`` finds)."""
        from wegokg.core.repository import Repository

        if not isinstance(root, Repository):
            root = Repository.find() if root is None else Repository(root)
        return cls.from_files(root.query_files())

    def __iter__(self):
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> StoredQuery:
        if name in self.queries:
            return self.queries[name]
        import difflib

        close = difflib.get_close_matches(name, self.queries, n=3, cutoff=0.5)
        close += [n for n in self.queries if name and name in n and n not in close]
        raise UnknownQueryError(name, close[:3])


def read_stored_query(path: Path) -> StoredQuery:
    """Read a catalog query, checking that its header is complete and its parameters are used."""
    file = read_query_file(path)
    check_query_form(file)
    for key in ("title", "title-ko", "description", "keywords", "use"):
        if not file.get(key):
            raise QueryFileError(path, 1, f"the header needs a '# {key}:' line")
    parameters = []
    for text, line in file.all("param"):
        match = _PARAM.match(text)
        if not match or match.group("type") not in PARAMETER_TYPES:
            raise QueryFileError(
                path,
                line,
                f"write '# param: NAME (TYPE[, default VALUE]) what it is', TYPE one of "
                f"{', '.join(PARAMETER_TYPES)}",
            )
        parameter = Parameter(
            match.group("name"), match.group("type"), match.group("default"), match.group("about")
        )
        if parameter.name not in variables(code_only(file.text)):
            raise QueryFileError(
                path, line, f"parameter ?{parameter.name} is not used in the query"
            )
        if parameter.default is not None:
            try:
                parameter.to_term(parameter.default)
            except CatalogError as error:
                raise QueryFileError(path, line, f"the default does not fit: {error}") from None
        parameters.append(parameter)
    return StoredQuery(file, tuple(parameters))


def expand_iri(value: str, problem: str) -> str:
    """An IRI from ``<iri>``, a full IRI, or a prefixed name with one of the project's prefixes."""
    bracketed = value.startswith("<") and value.endswith(">")
    if bracketed:
        value = value[1:-1]
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    elif colon and not bracketed and _unknown_prefix(prefix, local):
        raise CatalogError(
            f"{problem}: the prefix {prefix}: is unknown; the known prefixes are "
            f"{', '.join(PREFIXES)} (or write a full IRI in <…>)"
        )
    if reason := iri_problem(value):
        raise CatalogError(f"{problem}: {reason}")
    return value


def _unknown_prefix(prefix: str, local: str) -> bool:
    """Whether ``prefix:local`` looks like a prefixed name whose prefix is not one of ours (and
    not an IRI of a known scheme, such as urn: or https://)."""
    return (
        not local.startswith("//")
        and prefix.lower() not in KNOWN_SCHEMES
        and re.fullmatch(r"[A-Za-z][\w.-]*", prefix) is not None
    )


def _typed(text: str, datatype: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(_XSD + datatype))


def sparql_term(term: Term) -> str:
    """A term in SPARQL syntax, escaped so that no value can change the query around it."""
    try:
        return _sparql_term(term)
    except BindingError as error:
        raise CatalogError(str(error)) from None


def insert_values(query: str, bindings: dict[str, Term]) -> str:
    """Bind variables by a VALUES block at the start of the outer WHERE group, found by a parse."""
    try:
        return with_values(query, bindings)
    except BindingError as error:
        raise CatalogError(str(error)) from None


STORED_FORMS = ("SELECT", "ASK")


def check_query_form(file: QueryFile) -> None:
    """Refuse a stored query that does not parse, that reads outside the repository's dataset,
    or that is not a SELECT or ASK, naming the line at fault. pyoxigraph parses it (over an empty
    store, so that nothing runs), and the kind of answer tells the form."""
    import pyoxigraph

    from wegokg.core.sparql_text import QueryTooDeepError, check_nesting
    from wegokg.query.query_dataset import check_dataset

    try:
        check_nesting(file.text)  # before pyoxigraph, which a deep query crashes
        check_dataset(file.text)
    except (ValueError, QueryTooDeepError) as error:
        raise UnusableQueryError(file.path, _form_line(file), str(error)) from None
    try:
        answer = pyoxigraph.Store().query(file.text)
    except SyntaxError as error:
        located = re.match(r"error at (\d+):(\d+): (.*)", str(error), re.DOTALL)
        line, problem = (int(located[1]), located[3]) if located else (None, str(error))
        problem = " ".join(problem.split())
        problem = problem if len(problem) <= 200 else problem[:199] + "…"
        raise UnusableQueryError(file.path, line, f"the query does not parse: {problem}") from None
    if isinstance(answer, pyoxigraph.QueryTriples):
        raise UnusableQueryError(
            file.path,
            _form_line(file),
            "a stored query is a SELECT or an ASK; this one builds a graph (CONSTRUCT or "
            "DESCRIBE), which the catalog cannot show as rows",
        )


def _form_line(file: QueryFile) -> int:
    """The first line that holds code: where the query (its prologue or its form) starts."""
    start = code_start(file.text)
    return 1 if start is None else file.text.count("\n", 0, start) + 1
