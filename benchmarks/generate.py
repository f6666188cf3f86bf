"""Write a synthetic, WeGO-shaped wegokg repository of about N data triples, for benchmarks.

The result is a complete repository (ontology/, shapes/ and queries/ copied from this checkout,
generated data/ with the real layout), so that ``wegokg.load(DIR)``, ``wegokg.validate(DIR)`` and
the stored queries run on it unchanged. Each generated article is a Korean text in data/sources/
whose SHA-256 and quote offsets are right; its Turtle file describes the article, its quotes and
its claims: cities joining WeGO with a role and a term, their participation in a yearly general
assembly, a keynote speech by a mayor and a placement in an award edition. Names (cities,
countries, people, events, awards) go into data/curated/.

It conforms to the shapes and quality checks, except for the deliberate violations: a fraction of
the cities each carries exactly one, alternately a city without evidence (shape
NameInEvidenceRule) and a membership that ends before it starts (shape MembershipDatesRule).

N counts the data triples (data/), not the ontology and its imports (about 1,100 triples, the same
at every scale). The output is deterministic (same bytes for the same arguments) and streamed:
each article is composed, written and forgotten, so memory does not grow with N.

    python benchmarks/generate.py --triples 1e5 --out /tmp/wego-1e5 [--seed 1] [--violations 0.01]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from wegokg.core.namespaces import PREFIXES

REPOSITORY = Path(__file__).resolve().parents[1]
COPIED_FOLDERS = ("ontology", "shapes", "queries")
# The controlled vocabularies (roles, terms, speech types, measures): copied, not invented.
COPIED_DATA = ("data/curated/concepts.ttl",)

CITIES_PER_ARTICLE = 4
ARTICLES_PER_ASSEMBLY = 20
PLACEMENTS_PER_EDITION = 18  # 6 categories x 3 ranks: one placement per rank per category
VIOLATION_KINDS = ("city-without-evidence", "membership-ends-before-start")
VIOLATION_SHAPES = {
    "city-without-evidence": "https://w3id.org/wegokg/shapes#NameInEvidenceRule",
    "membership-ends-before-start": "https://w3id.org/wegokg/shapes#MembershipDatesRule",
}

# Syllables for city names, with their Revised Romanization.
SYLLABLES = [
    ("가", "ga"), ("나", "na"), ("다", "da"), ("라", "ra"), ("마", "ma"), ("바", "ba"),
    ("사", "sa"), ("아", "a"), ("자", "ja"), ("차", "cha"), ("카", "ka"), ("타", "ta"),
    ("파", "pa"), ("하", "ha"), ("강", "gang"), ("남", "nam"), ("동", "dong"), ("서", "seo"),
    ("북", "buk"), ("산", "san"), ("천", "cheon"), ("원", "won"), ("주", "ju"), ("포", "po"),
    ("양", "yang"), ("안", "an"), ("영", "yeong"), ("성", "seong"), ("광", "gwang"),
    ("평", "pyeong"), ("청", "cheong"), ("진", "jin"),
]  # fmt: skip
SURNAMES = [
    ("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"),
    ("강", "Kang"), ("조", "Cho"), ("윤", "Yoon"), ("장", "Jang"), ("임", "Lim"),
]  # fmt: skip
GIVEN = [("민", "min"), ("서", "seo"), ("준", "jun"), ("지", "ji"), ("현", "hyeon"),
         ("우", "u"), ("수", "su"), ("영", "yeong"), ("은", "eun"), ("호", "ho")]  # fmt: skip
COUNTRIES = [
    ("south-korea", "South Korea", "대한민국"), ("japan", "Japan", "일본"),
    ("china", "China", "중국"), ("mongolia", "Mongolia", "몽골"),
    ("vietnam", "Vietnam", "베트남"), ("thailand", "Thailand", "태국"),
    ("indonesia", "Indonesia", "인도네시아"), ("malaysia", "Malaysia", "말레이시아"),
    ("philippines", "Philippines", "필리핀"), ("india", "India", "인도"),
    ("turkiye", "Türkiye", "튀르키예"), ("russia", "Russia", "러시아"),
    ("spain", "Spain", "스페인"), ("france", "France", "프랑스"),
    ("germany", "Germany", "독일"), ("italy", "Italy", "이탈리아"),
    ("mexico", "Mexico", "멕시코"), ("brazil", "Brazil", "브라질"),
    ("peru", "Peru", "페루"), ("chile", "Chile", "칠레"),
    ("kenya", "Kenya", "케냐"), ("egypt", "Egypt", "이집트"),
    ("new-zealand", "New Zealand", "뉴질랜드"), ("united-states", "United States", "미국"),
]  # fmt: skip
CATEGORIES = [
    ("efficient-government", "Efficient Government", "효율적정부"),
    ("emerging-technology", "Emerging Technology", "신기술"),
    ("mobility", "Mobility", "이동성"),
    ("open-and-inclusive-city", "Open and Inclusive City", "포용적도시"),
    ("safe-city", "Safe City", "안전도시"),
    ("sustainable-city", "Sustainable City", "지속가능도시"),
]
PUBLISHERS = [
    ("gasang-ilbo", "Gasang Ilbo", "가상일보"),
    ("mirae-sinmun", "Mirae Sinmun", "미래신문"),
    ("dosi-news", "Dosi News", "도시뉴스"),
]
ROLES = [  # (role, Korean name, weight)
    ("member-city", "회원 도시", 12),
    ("executive-committee-city", "집행위원도시", 3),
    ("vice-president-city", "부의장도시", 1),
]
MODES = [
    ("OfflineEventAttendanceMode", "현장에서"),
    ("OnlineEventAttendanceMode", "화상으로"),
    ("MixedEventAttendanceMode", "온·오프라인으로"),
]
REPORTERS = 10


class GenerationError(Exception):
    """Arguments or an output folder that the generator cannot use."""


def ttl_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ko(text: str) -> str:
    return ttl_string(text) + "@ko"


def en(text: str) -> str:
    return ttl_string(text) + "@en"


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


@dataclass
class Turtle:
    """Subject blocks in the house layout, counting the triples they hold."""

    text: list[str] = field(default_factory=list)
    triples: int = 0

    def block(self, subject: str, *statements: tuple[str, list[str] | str]) -> None:
        lines = [subject]
        for predicate, objects in statements:
            objects = [objects] if isinstance(objects, str) else objects
            if not objects:
                continue
            self.triples += len(objects)
            lines.append(f"    {predicate} {', '.join(objects)} ;")
        lines.append(".\n")
        self.text.append("\n".join(lines))


def prefix_block() -> str:
    width = max(len(p) for p in PREFIXES) + 2
    return "".join(f"@prefix {(p + ':').ljust(width)} <{iri}> .\n" for p, iri in PREFIXES.items())


def city_names(index: int) -> tuple[str, str, str]:
    """(IRI slug, English name, Korean name) of city number ``index``: unique for every index."""
    digits = []
    number = index + len(SYLLABLES)  # at least two syllables
    while number:
        number, digit = divmod(number, len(SYLLABLES))
        digits.append(SYLLABLES[digit])
    digits.reverse()
    slug = "-".join(r for _, r in digits)
    english = "".join(r for _, r in digits).capitalize()
    return slug, english, "".join(k for k, _ in digits) + "시"


def person_names(index: int) -> tuple[str, str]:
    """(English, Korean) name of person number ``index``."""
    surname = SURNAMES[index % len(SURNAMES)]
    first = GIVEN[(index // len(SURNAMES)) % len(GIVEN)]
    second = GIVEN[(index // (len(SURNAMES) * len(GIVEN))) % len(GIVEN)]
    english = f"{surname[1]} {(first[1] + '-' + second[1]).capitalize()}"
    return english, surname[0] + first[0] + second[0]


def is_violation(city: int, fraction: float) -> bool:
    """Bresenham spacing: exactly floor(n * fraction) of the first n cities carry a violation."""
    return int((city + 1) * fraction) > int(city * fraction)


@dataclass
class State:
    """What has been written so far: only counters and small sets, so memory stays flat."""

    cities: int = 0
    articles: int = 0
    triples: int = 0
    assemblies: int = 0  # general assemblies (and terms) 1..assemblies are written
    editions: int = 0
    countries: set[str] = field(default_factory=set)
    reporters: set[int] = field(default_factory=set)
    publishers: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    violations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VIOLATION_KINDS, 0))


@dataclass
class Article:
    """One composed article: its text, its Turtle, and the curated entries it introduces."""

    number: int
    text: str
    turtle: Turtle
    curated: dict[str, Turtle]  # curated file name -> new entries
    new_countries: set[str]
    reporter: int
    publisher: str
    assembly: int
    edition: int
    city_count: int
    violations: dict[str, int]

    @property
    def triples(self) -> int:
        return self.turtle.triples + sum(t.triples for t in self.curated.values())


def compose(number: int, city_count: int, state: State, fraction: float, seed: int) -> Article:
    """Article ``number`` about ``city_count`` new cities; ``state`` is read, never changed."""
    rng = random.Random(f"{seed}:{number}")
    slug = f"gen-{number:06d}"
    source = f"source:{slug}"
    assembly = number // ARTICLES_PER_ASSEMBLY + 1
    year = 2010 + assembly
    edition = number // PLACEMENTS_PER_EDITION + 1
    placement = number % PLACEMENTS_PER_EDITION
    category = CATEGORIES[placement // 3]
    rank = placement % 3 + 1
    reporter = number % REPORTERS
    day = number % 28 + 1
    publisher = PUBLISHERS[number % len(PUBLISHERS)]
    curated: dict[str, Turtle] = {}
    violations = dict.fromkeys(VIOLATION_KINDS, 0)

    def entry(file: str) -> Turtle:
        return curated.setdefault(file, Turtle())

    cities = []
    for offset in range(city_count):
        index = state.cities + offset
        city_slug, city_en, city_ko = city_names(index)
        country = COUNTRIES[index % len(COUNTRIES)]
        kind = None
        if is_violation(index, fraction):
            kind = VIOLATION_KINDS[(int((index + 1) * fraction) - 1) % len(VIOLATION_KINDS)]
            violations[kind] += 1
        role = rng.choices(ROLES, weights=[w for *_, w in ROLES])[0]
        mode = rng.choice(MODES)
        cities.append((index, city_slug, city_en, city_ko, country, kind, role, mode))

    ga_ko, ga_en = f"제{assembly}회 WeGO 총회", f"WeGO General Assembly {assembly}"
    reporter_en, reporter_ko = person_names(reporter)
    first = cities[0]
    mayor_en, mayor_ko = person_names(REPORTERS + number)
    winner = cities[-1]

    # The text, sentence by sentence; each quote is one line, located by code point offsets.
    lines: dict[str, str] = {
        "title": f"{first[3]} 등 {city_count}개 도시, 세계스마트시티기구 {ga_ko} 참석",
        "byline": f"[{publisher[2]}] {reporter_ko} 기자 = {year}년 10월 {number % 28 + 1}일 보도",
    }
    for index, _, _, city_ko, country, _, role, mode in cities:
        lines[f"city-{index}"] = (
            f"{country[2]}의 {city_ko}는 세계스마트시티기구(WeGO)의 {role[1]}로서 "
            f"WeGO 제{assembly}기에 활동하며, {ga_ko}에 {mode[1]} 참석했다."
        )
    lines["speech"] = f"{ga_ko}에서 {mayor_ko} {first[3]}장이 기조연설을 했다."
    lines["placement"] = (
        f"{winner[3]}는 제{edition}회 WeGO 어워즈 {category[2]} 분야에서 {rank}위를 차지했다."
    )
    text, offsets, position = "", {}, 0
    for key, line in lines.items():
        offsets[key] = (position, position + len(line))
        text += line + "\n"
        position += len(line) + 1
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()

    ttl = Turtle()
    ttl.text.append(
        f"# Generated article {number}: {city_count} cities join WeGO and attend {ga_en}.\n"
    )

    def quote(key: str) -> str:
        return f"quote:{slug}-{key}"

    # -- the article and its named people and publisher
    if number == 0:
        ttl.block("organization:wego", ("wego:evidence", quote(f"city-{first[0]}")))
    ttl.block(f"organization:{publisher[0]}", ("wego:evidence", quote("byline")))
    ttl.block(f"person:reporter-{reporter}", ("wego:evidence", quote("byline")))
    ttl.block(
        source,
        ("a", "wego:NewsArticle"),
        ("rdfs:label", [en(f"{first[2]} and other cities attend {ga_en}"), ko(lines["title"])]),
        ("schema:author", f"person:reporter-{reporter}"),
        ("schema:datePublished", typed(f"{year}-10-{day:02d}T09:00:00+09:00", "dateTime")),
        ("schema:inLanguage", ttl_string("ko")),
        ("schema:publisher", f"organization:{publisher[0]}"),
        ("wego:bodyStart", "0"),
        ("wego:bodyEnd", str(len(text) - 1)),  # the whole text is the article: no furniture
        ("wego:evidence", [quote("title"), quote("byline")]),
        ("wego:sha256", ttl_string(digest)),
        ("wego:textFile", ttl_string(f"sources/{slug}.txt")),
    )  # fmt: skip

    # -- each city: its name, its membership, its participation
    for index, city_slug, city_en, city_ko, country, kind, role, mode in cities:
        city = f"city:{city_slug}"
        evidence = quote(f"city-{index}")
        if kind != "city-without-evidence":
            ttl.block(city, ("wego:evidence", evidence))
        if country[0] not in state.countries and country[0] not in {
            c for c in (x[4][0] for x in cities if x[0] < index)
        }:
            ttl.block(f"country:{country[0]}", ("wego:evidence", evidence))
        start = f"{year}-10-{index % 28 + 1:02d}"
        end = f"{year - 1}-12-31" if kind == "membership-ends-before-start" else f"{year + 2}-12-31"
        ttl.block(
            f"fact:{slug}-membership-{index}",
            ("a", "wego:Membership"),
            ("rdfs:label", [en(f"{city_en} is a {role[0].replace('-', ' ')} of WeGO"),
                            ko(f"{city_ko}는 WeGO {role[1]}")]),
            ("org:member", city),
            ("org:memberDuring", f"term:wego-term-{assembly}"),
            ("org:organization", "organization:wego"),
            ("org:role", f"role:{role[0]}"),
            ("prov:wasDerivedFrom", source),
            ("schema:endDate", typed(end, "date")),
            ("schema:startDate", typed(start, "date")),
            ("wego:evidence", evidence),
            ("wego:selectedAt", f"event:wego-general-assembly-{assembly}"),
        )  # fmt: skip
        ttl.block(
            f"fact:{slug}-participation-{index}",
            ("a", "wego:Participation"),
            ("rdfs:label", [en(f"{city_en} takes part in {ga_en}"),
                            ko(f"{city_ko}가 {ga_ko}에 참여")]),
            ("prov:wasDerivedFrom", source),
            ("wego:atEvent", f"event:wego-general-assembly-{assembly}"),
            ("wego:attendanceMode", f"schema:{mode[0]}"),
            ("wego:capacity", f"role:{role[0]}"),
            ("wego:evidence", evidence),
            ("wego:participant", city),
        )  # fmt: skip
        names = entry("cities.ttl")
        names.block(
            city,
            ("a", "wego:City"),
            ("rdfs:label", [en(city_en), ko(city_ko)]),
            ("schema:containedInPlace", f"country:{country[0]}"),
        )
    new_countries = {c[4][0] for c in cities} - state.countries
    for country in COUNTRIES:
        if country[0] in new_countries:
            entry("countries.ttl").block(
                f"country:{country[0]}",
                ("a", "wego:Country"),
                ("rdfs:label", [en(country[1]), ko(country[2])]),
            )

    # -- the keynote speech of the first city's mayor
    mayor = f"person:mayor-of-{first[1]}"
    post = f"post:mayor-of-{first[1]}"
    ttl.block(mayor, ("wego:evidence", quote("speech")))
    ttl.block(
        f"fact:{slug}-speech",
        ("a", "wego:Speech"),
        ("rdfs:label", [en(f"Keynote speech by the Mayor of {first[2]} at {ga_en}"),
                        ko(f"{first[3]}장의 {ga_ko} 기조연설")]),
        ("prov:wasDerivedFrom", source),
        ("schema:position", str(number % ARTICLES_PER_ASSEMBLY + 1)),
        ("wego:atEvent", f"event:wego-general-assembly-{assembly}"),
        ("wego:evidence", quote("speech")),
        ("wego:inCapacityOf", post),
        ("wego:speaker", mayor),
        ("wego:speechType", "concept:keynote-speech"),
    )  # fmt: skip
    people = entry("people.ttl")
    people.block(mayor, ("a", "wego:Person"), ("rdfs:label", [en(mayor_en), ko(mayor_ko)]))
    people.block(
        post,
        ("a", "wego:Post"),
        ("rdfs:label", [en(f"Mayor of {first[2]}"), ko(f"{first[3]}장")]),
        ("org:postIn", f"city:{first[1]}"),
        ("org:role", "role:mayor"),
    )
    if reporter not in state.reporters:
        people.block(
            f"person:reporter-{reporter}",
            ("a", "wego:Person"),
            ("rdfs:label", [en(reporter_en), ko(reporter_ko)]),
        )

    # -- a placement in the award edition
    ttl.block("award:wego-smart-sustainable-city-awards", ("wego:evidence", quote("placement")))
    ttl.block(f"category:{category[0]}", ("wego:evidence", quote("placement")))
    ttl.block(
        f"fact:{slug}-placement",
        ("a", "wego:Placement"),
        ("rdfs:label", [en(f"{winner[2]} places {rank} in {category[1]} at WeGO Awards {edition}"),
                        ko(f"{winner[3]}, 제{edition}회 WeGO 어워즈 {category[2]} {rank}위")]),
        ("prov:wasDerivedFrom", source),
        ("wego:category", f"category:{category[0]}"),
        ("wego:edition", f"award:wego-awards-{edition}"),
        ("wego:evidence", quote("placement")),
        ("wego:rank", str(rank)),
        ("wego:winner", f"city:{winner[1]}"),
    )  # fmt: skip

    # -- the quotes
    for key, (begin, stop) in offsets.items():
        ttl.block(
            quote(key),
            ("a", "wego:Quote"),
            ("oa:end", str(stop)),
            ("oa:exact", ttl_string(lines[key])),
            ("oa:start", str(begin)),
            ("prov:wasQuotedFrom", source),
        )

    # -- names introduced by this article: organizations, events, terms, awards
    orgs = entry("organizations.ttl")
    if number == 0:
        orgs.block(
            "organization:wego",
            ("a", "wego:InternationalOrganization"),
            ("rdfs:label", [en("World Smart Sustainable Cities Organization"),
                            ko("세계스마트시티기구")]),
            ("skos:altLabel", [en("WeGO"), ko("WeGO")]),
        )  # fmt: skip
    if publisher[0] not in state.publishers:
        orgs.block(
            f"organization:{publisher[0]}",
            ("a", "wego:NewsPublisher"),
            ("rdfs:label", [en(publisher[1]), ko(publisher[2])]),
        )
    if assembly > state.assemblies:
        entry("events.ttl").block(
            f"event:wego-general-assembly-{assembly}",
            ("a", "wego:GeneralAssembly"),
            ("rdfs:label", [en(ga_en), ko(ga_ko)]),
            ("schema:organizer", "organization:wego"),
            ("schema:startDate", typed(year, "gYear")),
            ("wego:editionNumber", str(assembly)),
        )
        entry("terms.ttl").block(
            f"term:wego-term-{assembly}",
            ("a", "wego:Term"),
            ("rdfs:label", [en(f"WeGO term {assembly}"), ko(f"WeGO 제{assembly}기")]),
            ("wego:termNumber", str(assembly)),
            ("wego:termOf", "organization:wego"),
        )
    awards = entry("awards.ttl")
    if number == 0:
        awards.block(
            "award:wego-smart-sustainable-city-awards",
            ("a", "wego:AwardProgramme"),
            ("rdfs:label", [en("WeGO Smart Sustainable City Awards"),
                            ko("WeGO 지속가능 스마트시티 어워즈")]),
            ("skos:altLabel", [en("WeGO Awards"), ko("WeGO 어워즈")]),
        )  # fmt: skip
        awards.block(
            "category:wego-awards-categories",
            ("a", "skos:ConceptScheme"),
            ("rdfs:label", [en("Categories of the WeGO Awards"), ko("WeGO 어워즈 시상 분야")]),
        )
    if category[0] not in state.categories:  # named only once a quote names it
        awards.block(
            f"category:{category[0]}",
            ("a", "wego:AwardCategory"),
            ("rdfs:label", [en(category[1]), ko(category[2])]),
            ("schema:position", str(CATEGORIES.index(category) + 1)),
            ("skos:inScheme", "category:wego-awards-categories"),
        )
    if edition > state.editions:
        awards.block(
            f"award:wego-awards-{edition}",
            ("a", "wego:AwardEdition"),
            ("rdfs:label", [en(f"WeGO Awards {edition}"), ko(f"제{edition}회 WeGO 어워즈")]),
            ("schema:superEvent", "award:wego-smart-sustainable-city-awards"),
            ("wego:editionNumber", str(edition)),
        )

    return Article(
        number=number,
        text=text,
        turtle=ttl,
        curated=curated,
        new_countries=new_countries,
        reporter=reporter,
        publisher=publisher[0],
        assembly=assembly,
        edition=edition,
        city_count=city_count,
        violations=violations,
    )


def plan(triples: int, fraction: float, seed: int, state: State):
    """The articles to write, one at a time, until the data holds about ``triples`` triples.

    Yields each article before ``state`` takes it in; the last article may cover fewer cities,
    so that the total lands close to the target.
    """
    state.triples = _copied_data_triples()
    while state.triples < triples:
        article = compose(state.articles, CITIES_PER_ARTICLE, state, fraction, seed)
        if state.triples + article.triples > triples:
            candidates = [article] + [
                compose(state.articles, k, state, fraction, seed)
                for k in range(1, CITIES_PER_ARTICLE)
            ]
            best = min(candidates, key=lambda a: abs(state.triples + a.triples - triples))
            if state.articles and abs(state.triples - triples) <= abs(
                state.triples + best.triples - triples
            ):
                return
            article = best
        yield article
        state.triples += article.triples
        state.cities += article.city_count
        state.articles += 1
        state.assemblies = max(state.assemblies, article.assembly)
        state.editions = max(state.editions, article.edition)
        state.countries |= article.new_countries
        state.reporters.add(article.reporter)
        state.publishers.add(article.publisher)
        state.categories.add(CATEGORIES[article.number % PLACEMENTS_PER_EDITION // 3][0])
        for kind, count in article.violations.items():
            state.violations[kind] += count


CURATED_FILES = {
    "awards.ttl": "Award programme, categories and editions",
    "cities.ttl": "Cities and the country each lies in",
    "countries.ttl": "Countries",
    "events.ttl": "General assemblies",
    "organizations.ttl": "WeGO and the news publishers",
    "people.ttl": "Mayors, their posts, and reporters",
    "terms.ttl": "Terms of office",
}


def generate(triples: int, out: Path, seed: int = 1, fraction: float = 0.0) -> dict:
    """Write the repository into ``out`` (which must not exist); return its manifest."""
    if triples < 100:
        raise GenerationError(f"--triples must be at least 100 (got {triples})")
    if not 0.0 <= fraction <= 1.0:
        raise GenerationError(f"--violations is a fraction of the cities, 0 to 1 (got {fraction})")
    if out.exists():
        raise GenerationError(f"{out} already exists: remove it or choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed into place at the end: never a half-written DIR.
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        manifest = _write(work, triples, seed, fraction)
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _write(root: Path, triples: int, seed: int, fraction: float) -> dict:
    for folder in COPIED_FOLDERS:
        shutil.copytree(REPOSITORY / folder, root / folder)
    for name in COPIED_DATA:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPOSITORY / name, root / name)
    for folder in ("articles", "sources"):
        (root / "data" / folder).mkdir(parents=True, exist_ok=True)
    header = prefix_block()
    curated = {}
    for name, title in CURATED_FILES.items():
        handle = (root / "data" / "curated" / name).open("w", encoding="utf-8")
        handle.write(f"# Generated for benchmarks: {title}.\n\n{header}\n")
        curated[name] = handle
    state = State()
    try:
        for article in plan(triples, fraction, seed, state):
            slug = f"gen-{article.number:06d}"
            (root / "data" / "sources" / f"{slug}.txt").write_bytes(article.text.encode("utf-8"))
            (root / "data" / "articles" / f"{slug}.ttl").write_text(
                header + "\n" + "\n".join(article.turtle.text), encoding="utf-8"
            )
            for name, entries in article.curated.items():
                curated[name].write("\n".join(entries.text) + ("\n" if entries.text else ""))
    finally:
        for handle in curated.values():
            handle.close()
    manifest = {
        "triples": state.triples,
        "requested_triples": triples,
        "seed": seed,
        "violation_fraction": fraction,
        "articles": state.articles,
        "cities": state.cities,
        "assemblies": state.assemblies,
        "award_editions": state.editions,
        "violations": state.violations,
        "violation_shapes": VIOLATION_SHAPES,
        "query_parameters": {
            "city": "city:" + city_names(0)[0],
            "assembly": "event:wego-general-assembly-1",
            "event": "event:wego-general-assembly-1",
            "edition": "award:wego-awards-1",
            "source": "source:gen-000000",
            "organization": "organization:wego",
        },
    }
    (root / "generated.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _copied_data_triples() -> int:
    """Triples in the copied vocabulary files, counted so that N covers all of data/."""
    from rdflib import Graph

    return sum(len(Graph().parse(REPOSITORY / name, format="turtle")) for name in COPIED_DATA)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=float, required=True, help="about N data triples")
    parser.add_argument("--out", type=Path, required=True, help="the folder to create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--violations",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="fraction of the cities that carry one deliberate violation (default 0)",
    )
    args = parser.parse_args(argv)
    try:
        manifest = generate(int(args.triples), args.out, args.seed, args.violations)
    except GenerationError as error:
        print(f"generate: {error}", file=sys.stderr)
        return 2
    print(
        f"{args.out}: {manifest['triples']} data triples, {manifest['articles']} articles, "
        f"{manifest['cities']} cities, violations {manifest['violations']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
