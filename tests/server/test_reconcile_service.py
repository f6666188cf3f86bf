"""The W3C Reconciliation Service API 0.2 at /reconcile: every answer validates against the
official schemas (tests/schemas/reconciliation-0.2/), names are matched as the table below says,
data extension gives each value with its source, and a scripted client speaks to a real
`wegokg serve` over HTTP in the order OpenRefine makes its calls."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from wegokg.core.namespaces import ID, WEGO
from wegokg.core.repository import EXTRA_GRAPH, Repository
from wegokg.server.reconcile.service import ReconcileRequestError, ReconcileService

SCHEMAS = ROOT / "tests" / "schemas" / "reconciliation-0.2"
FIXTURE = ROOT / "tests" / "fixtures" / "reconcile" / "jeju-province-and-a-second-country.ttl"
CITY, COUNTRY, PLACE, SOURCE = (ID + k + "/" for k in ("city", "country", "place", "source"))


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        if "$id" in document:
            resources.append((document["$id"], Resource.from_contents(document, DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def check(answer: object, schema: str) -> None:
    """Fail with every error when ``answer`` does not validate against the official schema."""
    document = json.loads((SCHEMAS / f"{schema}.json").read_text(encoding="utf-8"))
    validator = Draft7Validator(document, registry=REGISTRY)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(answer)]
    assert not errors, f"not a valid {schema}: {errors}"


@pytest.fixture(scope="module")
def service() -> ReconcileService:
    return ReconcileService.from_repository(Repository(ROOT))


@pytest.fixture(scope="module")
def with_fixture() -> ReconcileService:
    """The real data plus Jeju Province (a second "Jeju") and a second country for Seongnam."""
    return ReconcileService.from_repository(Repository(ROOT, extra_files=[FIXTURE]))


# -- The table of name cases -----------------------------------------------------------------

NAME_CASES = [
    # (query, type, expected top candidate, match)
    ("Seongnam", None, CITY + "seongnam", True),  # English label
    ("성남시", None, CITY + "seongnam", True),  # Korean label
    ("São Paulo", None, CITY + "sao-paulo", True),  # accents as written
    ("SAO PAULO", None, CITY + "sao-paulo", True),  # accents and case dropped
    ("Georgetown", None, CITY + "george-town", True),  # spacing
    ("george-town", None, CITY + "george-town", True),  # punctuation
    ("성남", None, CITY + "seongnam", True),  # Korean municipal suffix left off
    ("Seongnam-si", None, CITY + "seongnam", True),  # romanized suffix
    ("고양시", "City", CITY + "goyang", True),  # Korean label, type filter
    ("Seongnma", None, CITY + "seongnam", False),  # a typo: a near miss, never a match
    ("Jeju", None, None, False),  # ambiguous: the city and the province
    ("제주", "City", CITY + "jeju", True),  # the type filter settles it
    ("Atlantis", None, None, None),  # unknown: no candidate at all
]


@pytest.mark.parametrize("query, type_, top, match", NAME_CASES, ids=[c[0] for c in NAME_CASES])
def test_name_cases_get_the_expected_top_candidate_and_match_flag(
    with_fixture, query, type_, top, match
):
    answer = with_fixture.reconcile({"q0": {"query": query, **({"type": type_} if type_ else {})}})
    check(answer, "reconciliation-result-batch")
    result = answer["q0"]["result"]
    if match is None:
        assert result == []
        return
    assert result, f"no candidate for {query!r}"
    if top is not None:
        assert result[0]["id"] == top
    assert result[0]["match"] is match
    assert sum(c["match"] for c in result) <= 1


def test_an_ambiguous_name_lists_every_resource_with_it_and_matches_none(with_fixture):
    result = with_fixture.reconcile({"q": {"query": "Jeju"}})["q"]["result"]
    exact = {c["id"] for c in result if c["score"] == 100}
    assert exact == {CITY + "jeju", PLACE + "jeju-province"}
    assert not any(c["match"] for c in result)


def test_a_candidate_is_named_in_the_language_of_the_query(service):
    [korean] = service.reconcile({"q": {"query": "성남", "limit": 1}})["q"]["result"]
    [english] = service.reconcile({"q": {"query": "Seongnam", "limit": 1}})["q"]["result"]
    assert (korean["name"], english["name"]) == ("성남시", "Seongnam")
    assert korean["type"] == [{"id": WEGO + "City", "name": "City"}]


def test_claims_and_quotes_are_never_candidates(service):
    result = service.reconcile({"q": {"query": "Seongnam", "limit": 100}})["q"]["result"]
    assert result
    assert not [c for c in result if "/fact/" in c["id"] or "/quote/" in c["id"]]


def test_a_property_value_tells_candidates_apart(service):
    right = {"pid": "country", "v": "Malaysia"}
    wrong = {"pid": "country", "v": {"id": COUNTRY + "mexico", "name": "Mexico"}}
    answer = service.reconcile(
        {
            "right": {"query": "Georgetown", "properties": [right]},
            "wrong": {"query": "Georgetown", "properties": [wrong]},
        }
    )
    check(answer, "reconciliation-result-batch")
    assert answer["right"]["result"][0] | {"type": None} == {
        "id": CITY + "george-town", "name": "George Town", "type": None, "score": 100.0,
        "match": True,
    }  # fmt: skip
    top = answer["wrong"]["result"][0]
    assert top["id"] == CITY + "george-town"
    assert top["score"] < 100 and top["match"] is False


def test_limit_and_type_filter_are_obeyed(service):
    answer = service.reconcile({"q": {"query": "Seoul", "limit": 2, "type": [WEGO + "City"]}})
    result = answer["q"]["result"]
    assert 1 <= len(result) <= 2
    assert all(WEGO + "City" in [t["id"] for t in c["type"]] for c in result)


@pytest.mark.parametrize(
    "batch, message",
    [
        ("{not json", "queries is not JSON"),
        ('["Seongnam"]', "a JSON object"),
        ('{"q0": {"limit": 3}}', "needs a 'query' string"),
        ('{"q0": {"query": "Seongnam", "type": "Planet"}}', "no class is named 'Planet'"),
        (json.dumps({"q0": {"query": "x" * 501}}), "a name has at most 500"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (json.dumps({f"q{i}": {"query": "Seoul"} for i in range(1001)}), "at most 1000 queries"),
    ],
    ids=["not-json", "a-list", "no-query", "unknown-type", "long-name", "deep", "too-many"],
)
def test_a_bad_batch_is_refused_with_a_reason(service, batch, message):
    with pytest.raises(ReconcileRequestError, match=message):
        service.reconcile(batch)


# -- Data extension --------------------------------------------------------------------------


def test_extension_gives_each_value_with_its_source(service):
    props = ["country", "membership_role", "membership_term", "wikidata", "geonames"]
    request = {
        "ids": [CITY + "seongnam"],
        "properties": [{"id": p} for q in props for p in (q, q + "_source")],
    }
    answer = service.extend(request)
    check(answer, "data-extension-response")
    row = answer["rows"][CITY + "seongnam"]
    title = "Seongnam selected as a WeGO executive committee city, active until 2023"
    article = {"id": SOURCE + "seongnam-2021-10-20", "name": title}
    assert row["country"] == [{"id": COUNTRY + "south-korea", "name": "South Korea"}]
    assert row["country_source"] == [article]
    assert row["membership_role"] == [
        {"id": ID + "role/executive-committee-city", "name": "Executive committee city"}
    ]
    # The sources disagree on the term (data/curated/disagreements.ttl): both values are given.
    terms = zip(row["membership_term"], row["membership_term_source"], strict=True)
    assert [(term["name"], source["id"]) for term, source in terms] == [
        ("WeGO's 5th term", SOURCE + "newspim-2021-10-13"),
        ("WeGO's 6th term", SOURCE + "seongnam-2021-10-20"),
    ]
    assert row["wikidata"] == [{"str": "Q42108"}]
    assert row["geonames"] == [{"str": "1897000"}]
    assert [s["id"] for s in row["wikidata_source"]] == [SOURCE + "external-ids"]
    assert [m["id"] for m in answer["meta"]] == [p["id"] for p in request["properties"]]


def test_extension_gives_award_placements_from_every_source(service):
    request = {"ids": [CITY + "george-town"], "properties": [
        {"id": p} for p in ("award_edition", "award_edition_source", "award_category",
                            "award_rank", "award_rank_source")]}  # fmt: skip
    answer = service.extend(request)
    check(answer, "data-extension-response")
    row = answer["rows"][CITY + "george-town"]
    sources = [s["id"] for s in row["award_edition_source"]]
    assert sources == [SOURCE + "newspim-2021-10-13", SOURCE + "reference-notes"]
    assert {e["id"] for e in row["award_edition"]} == {ID + "award/wego-awards-4"}
    assert row["award_category"] == [{"id": ID + "category/mobility", "name": "Mobility"}]
    assert row["award_rank"] == [{"int": 1}, {"int": 1}]
    assert len(row["award_rank_source"]) == 2


def test_sources_that_disagree_each_keep_their_value(with_fixture):
    request = {"ids": [CITY + "seongnam"], "properties": [{"id": "country"},
                                                         {"id": "country_source"}]}  # fmt: skip
    row = with_fixture.extend(request)["rows"][CITY + "seongnam"]
    pairs = {(v["id"], s["id"]) for v, s in zip(row["country"], row["country_source"], strict=True)}
    assert pairs == {
        (COUNTRY + "south-korea", SOURCE + "seongnam-2021-10-20"),
        (COUNTRY + "spain", EXTRA_GRAPH),
    }


def test_an_unknown_resource_extends_to_no_values(service):
    answer = service.extend({"ids": [CITY + "atlantis"], "properties": [{"id": "country"}]})
    check(answer, "data-extension-response")
    assert answer["rows"] == {CITY + "atlantis": {"country": []}}


def test_an_unknown_property_is_refused(service):
    with pytest.raises(ReconcileRequestError, match="unknown properties population"):
        service.extend({"ids": [CITY + "seongnam"], "properties": [{"id": "population"}]})


def test_every_proposed_property_can_be_extended(service):
    proposed = service.propose_properties(WEGO + "City")
    check(proposed, "data-extension-property-proposal")
    ids = [p["id"] for p in proposed["properties"]]
    answer = service.extend({"ids": [CITY + "seongnam"], "properties": [{"id": i} for i in ids]})
    check(answer, "data-extension-response")
    assert set(answer["rows"][CITY + "seongnam"]) == set(ids)


# -- Suggest and preview ---------------------------------------------------------------------


def test_suggest_answers_validate_and_find_what_was_typed(service):
    entities = service.suggest_entities("Seong")
    check(entities, "suggest-entities-response")
    assert CITY + "seongnam" in [e["id"] for e in entities["result"]]
    types = service.suggest_types("Cit")
    check(types, "suggest-types-response")
    assert types["result"][0]["id"] == WEGO + "City"
    properties = service.suggest_properties("wiki")
    check(properties, "suggest-properties-response")
    assert [p["id"] for p in properties["result"]][:1] == ["wikidata"]


def test_the_preview_card_shows_both_labels_the_type_and_a_sourced_fact(service):
    card = service.preview(CITY + "seongnam")
    assert "Seongnam" in card and "성남시" in card and ">City<" in card
    assert "Seongnam is an executive committee city of WeGO" in card
    assert f'href="{SOURCE}seongnam-2021-10-20"' in card
    assert service.preview(CITY + "atlantis") is None


# -- Over HTTP, as OpenRefine calls it ---------------------------------------------------------


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_form(url: str, fields: dict[str, str]) -> tuple[int, dict, bytes]:
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def labelled_entities(dataset) -> list[tuple[str, str]]:
    """(name, IRI) of every city, country and organization label in the data, both languages."""
    rows = dataset.query(
        """SELECT DISTINCT ?name ?thing WHERE {
               ?thing a ?kind ; rdfs:label ?name .
               VALUES ?kind { wego:City wego:Country wego:InternationalOrganization wego:Person }
           } ORDER BY STR(?thing) STR(?name)""",
        initNs={"wego": WEGO, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
    )
    return [(str(name), str(thing)) for name, thing in rows]


@pytest.mark.server
def test_a_scripted_client_reconciles_over_http_in_openrefines_order(wegokg_server, dataset):
    base = wegokg_server.url + "/reconcile"
    # 1. The manifest, as "Add standard service" fetches it.
    status, headers, body = get(base, {"Origin": "http://127.0.0.1:3333"})
    assert status == 200
    assert headers.get("access-control-allow-origin") == "*"
    manifest = json.loads(body)
    check(manifest, "manifest")
    assert manifest["preview"]["url"].startswith(base)
    offered = {t["name"] for t in manifest["defaultTypes"]}
    assert offered >= {"City", "Country", "Organization", "Person", "Event", "Project"}

    # 2. A batch of 50 names, posted as a form, as OpenRefine sends them.
    names = labelled_entities(dataset)[:50]
    assert len(names) == 50
    queries = {f"q{i}": {"query": name, "limit": 3} for i, (name, _) in enumerate(names)}
    status, _, body = post_form(base, {"queries": json.dumps(queries)})
    assert status == 200
    batch = json.loads(body)
    check(batch, "reconciliation-result-batch")
    for i, (name, thing) in enumerate(names):
        [top, *_] = batch[f"q{i}"]["result"]
        assert (name, top["id"], top["match"]) == (name, thing, True)

    # 3. Type suggest, as the type box autocompletes.
    status, _, body = get(base + "/suggest/type?prefix=cit")
    types = json.loads(body)
    check(types, "suggest-types-response")
    city = types["result"][0]
    assert city["id"] == WEGO + "City"

    # 4. The preview of a candidate, as the hover card shows it.
    seongnam = batch[f"q{[n for n, _ in names].index('Seongnam')}"]["result"][0]["id"]
    status, headers, body = get(manifest["preview"]["url"].replace("{{id}}", seongnam))
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "성남시" in body.decode() and "Seongnam" in body.decode()
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert '<link rel="stylesheet" href="preview.css">' in body.decode()
    status, headers, body = get(f"{base}/preview.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert b".subtitle" in body

    # 5. Property proposals for the chosen type.
    status, _, body = get(f"{base}/properties?type={urllib.parse.quote(city['id'])}")
    proposal = json.loads(body)
    check(proposal, "data-extension-property-proposal")
    chosen = [p["id"] for p in proposal["properties"] if p["id"].startswith(("country", "wiki"))]

    # 6. Data extension for the reconciled cities.
    ids = sorted({top["id"] for r in batch.values() for top in r["result"][:1]
                  if top["id"].startswith(CITY)})  # fmt: skip
    extend = {"ids": ids, "properties": [{"id": p} for p in chosen]}
    status, _, body = post_form(base, {"extend": json.dumps(extend)})
    extension = json.loads(body)
    check(extension, "data-extension-response")
    assert set(extension["rows"]) == set(ids)
    assert extension["rows"][seongnam]["wikidata"] == [{"str": "Q42108"}]

    # The view link goes to the site's page of the resource.
    view = manifest["view"]["url"].replace("{{id}}", seongnam)
    request = urllib.request.Request(view, method="HEAD")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=30)
        raise AssertionError("the view link should redirect")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303
        assert redirect.headers["location"].endswith("/id/city/seongnam")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.server
def test_queries_come_by_get_too_and_bad_ones_get_400(wegokg_server):
    base = wegokg_server.url + "/reconcile"
    queries = json.dumps({"q0": {"query": "성남", "type": WEGO + "City"}})
    status, _, body = get(f"{base}?queries={urllib.parse.quote(queries)}")
    assert status == 200
    assert json.loads(body)["q0"]["result"][0]["id"] == CITY + "seongnam"
    status, _, body = get(f"{base}?queries={urllib.parse.quote('{oops')}")
    assert status == 400 and b"queries is not JSON" in body
    status, _, _ = get(f"{base}/preview?id={urllib.parse.quote(CITY + 'atlantis')}")
    assert status == 404


def test_the_vendored_schemas_name_their_license_and_change():
    license_text = (SCHEMAS / "LICENSE.md").read_text(encoding="utf-8")
    assert "W3C Software and Document" in license_text
    assert "swagger" in license_text
    manifest = json.loads((SCHEMAS / "manifest.json").read_text(encoding="utf-8"))
    assert "$ref" not in manifest["properties"]["authentication"]


@pytest.mark.server
def test_an_oversized_body_is_refused_with_413(wegokg_server):
    """A body over the server's limit is refused from its declared length, before it is sent."""
    import socket
    from urllib.parse import urlsplit

    from wegokg.server.reconcile.http import MAX_BODY

    url = urlsplit(wegokg_server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(
            f"POST /reconcile HTTP/1.1\r\nHost: {url.netloc}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {MAX_BODY + 1}\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):  # the server closes after its answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and b"over" in answer


def test_a_hostile_label_or_source_stays_text_in_the_preview():
    from wegokg.query.matching import NameIndex
    from wegokg.server.reconcile.facts import Facts

    thing, claim = ID + "city/x", ID + "fact/x"
    names = [
        (thing, '<script>alert("en")</script>', "en", "label"),
        (thing, "<img src=x onerror=alert(1)>", "ko", "label"),
        (claim, "</p><script>alert(2)</script>", "en", "label"),
    ]
    index = NameIndex.from_names(names, {thing: [WEGO + "City"]})
    service = ReconcileService(index, Facts({}, {thing: [(claim, "javascript:alert(3)")]}))
    card = service.preview(thing)
    assert "<script" not in card and "<img" not in card
    assert "&lt;script&gt;" in card and "&lt;img" in card
    assert 'href="javascript' not in card
