"""``Workspace(repository)``: one repository and what is done with it, as the command line does it.

It validates once and keeps the report, refuses to publish data that does not validate, makes the
engines, resolves names in query parameters, runs stored queries, and exports, builds the site,
releases and loads into stores. The command line parses arguments, calls one method and prints;
a library user calls the same methods.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wegokg.core.errors import DataError, LocatedError, UsageError, WegokgError
from wegokg.core.repository import Repository

if TYPE_CHECKING:
    from rdflib import Dataset

    from wegokg.publish.site import SiteSummary
    from wegokg.query.catalog import QueryCatalog, StoredQuery
    from wegokg.query.engines import QueryEngine, Results
    from wegokg.validation.report import ValidationReport

Notice = Callable[[str], None]


class NotValidError(DataError):
    """The data does not validate, so an action that publishes it was refused (exit 1). The
    report is kept for the caller to show."""

    def __init__(self, report: ValidationReport, consequence: str) -> None:
        super().__init__(f"the data does not validate, so {consequence}")
        self.report = report


@dataclass
class StoredRun:
    """A stored query's answer, with the engine that gave it (for labels) and the warnings about
    its parameter values."""

    query: StoredQuery
    results: Results
    engine: QueryEngine
    warnings: list[str] = field(default_factory=list)


@dataclass
class LoadOutcome:
    """What ``load_into`` did: the graphs sent (``LoadedGraph``s), the graphs pruned, and the
    triples the store holds for each graph sent, counted through its query endpoint."""

    loaded: list
    pruned: list[str]
    counts: dict[str, int]

    @property
    def wrong(self) -> list[str]:
        """The graphs whose stored count differs from what was sent."""
        return [g.graph for g in self.loaded if self.counts.get(g.graph) != g.triples]


class Workspace:
    """A repository and the work done with it. ``repository`` is a ``Repository``, or a path (or
    None) that ``Repository.find`` turns into one. ``notice`` is told what goes on (an endpoint
    waited for, leftovers removed); with ``verbose`` it is also told which engine ``auto`` picks.
    """

    def __init__(
        self,
        repository: Repository | Path | str | None = None,
        notice: Notice | None = None,
        verbose: bool = False,
    ) -> None:
        if not isinstance(repository, Repository):
            repository = Repository.find(repository)
        self.repository = repository
        self.notice = notice
        self.verbose = verbose
        self._report: ValidationReport | None = None
        self._names: list | None = None

    def _say(self, message: str) -> None:
        if self.notice is not None:
            self.notice(message)

    # -- The data ---------------------------------------------------------------------------

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset of ontology plus data (loaded once, by the repository)."""
        return self.repository.dataset

    @property
    def catalog(self) -> QueryCatalog:
        from wegokg.query.catalog import QueryCatalog

        return QueryCatalog.from_repository(self.repository)

    @property
    def version(self) -> str:
        from wegokg.core.repository import package_version

        return package_version()

    # -- Validation -------------------------------------------------------------------------

    def report(self, on_violation: Callable | None = None) -> ValidationReport:
        """The validation report of every checker, computed once and kept. ``on_violation`` is
        called with each violation as soon as it is found (on the first call only)."""
        return self._report if self._report is not None else self._validate(on_violation)[0]

    def _validate(self, on_violation: Callable | None = None) -> tuple:
        """Validate now and keep the report: the report, and the pyoxigraph store it loaded."""
        from wegokg.validation.context import ValidationContext
        from wegokg.validation.run import validate

        context = ValidationContext(self.repository)
        self._report = validate(context=context, on_violation=on_violation)
        return self._report, context.loaded_store

    def report_for_machines(self) -> tuple[ValidationReport, WegokgError | None]:
        """The report, for a format that machines read: an error that stops validation becomes
        one violation, located where it can be, so that the report still parses; the error is
        returned beside it (None if validation ran through)."""
        from wegokg.validation.context import relative
        from wegokg.validation.report import ValidationReport

        try:
            return self.report(), None
        except LocatedError as error:
            located = relative(error.path)
            return ValidationReport.from_load_error(located, error.line, error.message), error
        except WegokgError as error:
            return ValidationReport.from_load_error("<tool>", None, str(error)), error

    def require_valid(self, consequence: str) -> ValidationReport:
        """The report, if the data conforms; else a NotValidError saying "the data does not
        validate, so ``consequence``" (for example "nothing was exported")."""
        report = self.report()
        if not report.conforms:
            raise NotValidError(report, consequence)
        return report

    # -- Queries ----------------------------------------------------------------------------

    def engine(
        self,
        name: str = "auto",
        endpoint: str | None = None,
        timeout: float | None = None,
        max_memory: int | None = None,
    ) -> QueryEngine:
        """The endpoint if given (with its total deadline), else the embedded engine ``name``
        (``auto``, or one of ``wegokg.query.formats.ENGINES``) over this repository's data, its
        queries run in a worker stopped at ``timeout`` seconds or ``max_memory`` MB."""
        from wegokg.core.iri import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
        from wegokg.query.engines import choose_engine, make_engine

        if endpoint:
            return endpoint_engine(endpoint, timeout, self.notice)
        timeout = timeout or DEFAULT_TIMEOUT
        if name == "auto":
            name = choose_engine(self.repository)
            if self.verbose:
                self._say(f"engine: {name} (--engine auto)")
        limits = {"timeout": timeout, "max_memory": (max_memory or DEFAULT_MAX_MEMORY_MB) * 2**20}
        if name == "rdflib":
            return make_engine("rdflib", dataset=self.dataset, **limits)
        return make_engine(name, repository=self.repository, **limits)

    def names(self) -> list:
        """The index of every resource's names (``wegokg.query.search``), built once."""
        if self._names is None:
            from wegokg.query.search import name_index

            self._names = name_index(self.dataset)
        return self._names

    def resolve(self, name: str) -> str:
        """The IRI of the one resource called ``name`` (in Korean or English, ignoring case,
        accents, spacing and municipal suffixes); an UnknownNameError or AmbiguousNameError
        (usage errors) if there is not exactly one."""
        from wegokg.query.search import resolve

        return resolve(self.names(), name)

    def search(self, text: str, lang: str | None = None) -> list:
        """The resources named like ``text``, best first; a DataError, with the nearest names,
        if there are none."""
        from wegokg.query.search import nearest_names, search

        matches = search(self.names(), text, lang)
        if not matches:
            nearest = nearest_names(self.names(), text)
            hint = f"; nearest names: {', '.join(nearest)}" if nearest else ""
            raise DataError(f"no resource is named like {text!r}{hint}")
        return matches

    def parameters(
        self, query: StoredQuery, values: Mapping[str, str], lang: str = "en"
    ) -> dict[str, str]:
        """The values to bind in ``query``: a value of an IRI parameter that is not an IRI is
        taken as the name of one resource, and ``lang`` fills a ``lang`` parameter not given."""
        from wegokg.core.iri import looks_like_iri
        from wegokg.query.catalog import CatalogError, expand_iri

        resolved = dict(values)
        if "lang" not in resolved and any(p.name == "lang" for p in query.parameters):
            resolved["lang"] = lang
        for parameter in query.parameters:
            value = values.get(parameter.name)
            if parameter.type != "iri" or value is None:
                continue
            try:
                expand_iri(value.strip(), "")
            except CatalogError:
                if looks_like_iri(value.strip()):
                    parameter.to_term(value)  # an IRI with a fault: this says what the fault is
                # A name: the name index (and rdflib, which builds it) is needed only now.
                from wegokg.query.search import NameResolutionError, UnknownNameError

                try:
                    resolved[parameter.name] = f"<{self.resolve(value)}>"
                except UnknownNameError as error:
                    raise UsageError(
                        f"parameter {parameter.name!r} takes {parameter.type_phrase} or the name "
                        f"of one resource; {error}"
                    ) from None
                except NameResolutionError as error:
                    raise UsageError(f"--param {parameter.name}: {error}") from None
        return resolved

    def run_stored(
        self,
        name: str,
        params: Mapping[str, str] | None = None,
        lang: str = "en",
        engine: str = "auto",
        endpoint: str | None = None,
        timeout: float | None = None,
        max_memory: int | None = None,
    ) -> StoredRun:
        """Run the stored query ``name`` with ``params`` (names resolved, ``lang`` filled in),
        on the engine ``engine`` or ``endpoint``. A bad value is refused before an engine is
        made; a stored query that does not parse is a LocatedToolError (exit 3)."""
        from wegokg.core.errors import LocatedToolError
        from wegokg.query.catalog import QueryCatalog
        from wegokg.query.engines import QuerySyntaxError

        query = QueryCatalog.read_one(self.repository.query_files(), name)  # not all of them
        values = self.parameters(query, params or {}, lang)
        query.bind(values)
        chosen = self.engine(engine, endpoint, timeout, max_memory)
        warnings = list(query.warnings(values, chosen))
        try:
            results = query.select(chosen, values)
        except QuerySyntaxError as error:
            # The user typed nothing wrong: the stored query itself is broken (exit 3).
            raise LocatedToolError(
                query.file.path, None, f"the stored query does not parse: {error}"
            ) from None
        return StoredRun(query, results, chosen, warnings)

    # -- Publishing -------------------------------------------------------------------------

    def default_output(self, kind: str) -> Path:
        """Where ``export`` or ``release`` writes by default: ``kind``/ at the root of a
        checkout, else ./``kind``."""
        return self.repository.root / kind if self.repository.is_checkout else Path(kind)

    def _remove_leftovers(self, output: Path, kind: str) -> None:
        from wegokg.core.leftovers import remove_leftovers

        real = Path(os.path.realpath(output))
        for path in remove_leftovers(real.parent, kind, real.name):
            self._say(f"removed {path}, left by an interrupted {kind} (its process is gone)")

    def export(
        self,
        output: Path | None = None,
        formats: Iterable[str] = ("all",),
        endpoint: str | None = None,
        views: Iterable[str] = (),
    ) -> list[Path]:
        """Validate, then write the dumps (``wegokg.publish.formats.EXPORT_FORMATS`` or
        ``all``), the views and the VoID description into ``output``; the files written."""
        from wegokg.core.errors import ToolError
        from wegokg.core.loading import load_store
        from wegokg.publish.exports import check_export_folder, export

        output = output or self.default_output("export")
        check_export_folder(output)  # before the slow validation
        store = self._validate()[1] if self._report is None else None  # write what was checked
        self.require_valid("nothing was exported")
        self._remove_leftovers(output, "export")
        try:  # from a pyoxigraph store: no rdflib Dataset unless JSON-LD asks
            store = load_store(self.repository) if store is None else store
            return export(store, output, formats, self.version, endpoint, views)
        except OSError as error:
            raise ToolError(f"cannot write to {output}: {error}") from None

    def site(
        self, output: Path, endpoint: str | None = None, site_url: str | None = None
    ) -> SiteSummary:
        """Validate, then build the static site into ``output``."""
        from wegokg.core.errors import ToolError
        from wegokg.core.namespaces import BASE
        from wegokg.publish.release import repository_releases
        from wegokg.publish.site import build_site, check_output_folder

        check_output_folder(output)  # before the slow validation
        self.require_valid("no site was built")
        self._remove_leftovers(output, "site")
        repository = self.repository
        try:
            return build_site(
                self.dataset,
                output,
                catalog=self.catalog,
                version=self.version,
                shapes=repository.shapes,
                diagram=repository.diagram_file,
                endpoint=endpoint,
                site_url=site_url or BASE,
                releases=repository_releases(repository),
            )
        except OSError as error:
            raise ToolError(f"cannot write the site to {output}: {error}") from None

    def release(self, output: Path | None = None) -> Path:
        """Validate, then write the citable release of this version into ``output``/VERSION/."""
        from wegokg.core.errors import ToolError
        from wegokg.publish.release import release_repository

        self.require_valid("nothing was released")
        output = output or self.default_output("release")
        try:
            return release_repository(self.repository, output, self.version)
        except OSError as error:
            raise ToolError(f"cannot write to {output}: {error}") from None

    def load_into(
        self,
        endpoint: str,
        graph_store: str | None = None,
        update: str | None = None,
        method: str | None = None,
        user: str | None = None,
        password_env: str = "WEGOKG_PASSWORD",
        timeout: float = 120.0,
        default_graph: bool = False,
        prune: bool = False,
    ) -> LoadOutcome:
        """Validate, then push every published graph into the remote store whose query endpoint
        is ``endpoint``: by ``method`` (``wegokg.publish.formats.LOAD_METHODS``; default gsp with
        ``graph_store``, else update), as ``user`` (default $WEGOKG_USER) with the password in
        the environment variable ``password_env``; with ``prune``, delete the store's graphs of
        the dataset's namespace that no source holds. The stored triples are counted after."""
        from wegokg.publish import upload as uploading
        from wegokg.query.engines import EndpointEngine

        method = method or ("gsp" if graph_store else "update")
        if method == "gsp" and not graph_store:
            raise UsageError(
                "--method gsp needs --graph-store URL (the store's Graph Store endpoint)"
            )
        target = graph_store if method == "gsp" else (update or endpoint)
        user = user or os.environ.get("WEGOKG_USER")
        credentials = None
        if user:
            password = os.environ.get(password_env)
            if password is None:
                raise UsageError(
                    f"set the password for {user!r} in the environment variable {password_env} "
                    "(or name another one with --password-env)"
                )
            credentials = uploading.Credentials(user, password)
        store = uploading.Store(target, method, credentials, timeout, default_graph=default_graph)
        # Loading publishes, so it holds the data to the same standard as export does.
        self.require_valid("nothing was loaded")
        loaded = uploading.upload(self.dataset, store, notice=self.notice)
        remote = EndpointEngine(endpoint, timeout, notice=self.notice)
        graphs = [graph.graph for graph in loaded]
        pruned = list(uploading.prune(store, remote, graphs, notice=self.notice)) if prune else []
        return LoadOutcome(loaded, pruned, uploading.count_triples(remote, graphs))


def endpoint_engine(
    endpoint: str, timeout: float | None = None, notice: Notice | None = None
) -> QueryEngine:
    """The engine of a remote SPARQL endpoint, with its total deadline (``timeout`` seconds,
    by default ``wegokg.core.remote.DEFAULT_TIMEOUT``); it needs no repository."""
    from wegokg.core.remote import DEFAULT_TIMEOUT
    from wegokg.query.engines import make_engine

    return make_engine(endpoint=endpoint, timeout=timeout or DEFAULT_TIMEOUT, notice=notice)
