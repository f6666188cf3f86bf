"""The fixed words of the site's pages, in English and Korean, in one place."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "about_this_class": ("About this class", "이 클래스에 대하여"),
    "about_this_release": ("About this release", "이 배포판"),
    "according_to": ("According to", "출처"),
    "all_names": ("All names", "모든 이름"),
    "browse_by_class": ("Browse by class", "클래스별로 보기"),
    "bytes": ("Bytes", "바이트"),
    "class": ("Class", "클래스"),
    "classes": ("Classes", "클래스"),
    "classes_and_their_instances": ("Classes and their instances", "클래스와 인스턴스"),
    "counts": ("Counts", "규모"),
    "curated_names_no_single": ("Curated names (no single source)", "정리된 이름 (단일 출처 없음)"),
    "data_and_vocabulary_under": ("Data and vocabulary under", "데이터와 어휘의 이용 허락:"),
    "date": ("Date", "날짜"),
    "disputed": ("disputed", "논란"),
    "disputed_properties": ("Disputed properties", "값이 다른 속성"),
    "downloads": ("Downloads", "내려받기"),
    "each_stored_question_with": (
        "Each stored question with its answer on the embedded engine, computed when the site "
        "was built.",
        "저장된 질문마다 사이트를 만들 때 내장 엔진으로 얻은 답을 함께 싣는다.",
    ),
    "every_fact_names_its": (
        "Every fact names its source and a verbatim quote.",
        "모든 사실은 출처와 원문 인용을 가진다.",
    ),
    "evidence": ("Evidence", "근거"),
    "facts": ("Facts", "사실"),
    "file": ("File", "파일"),
    "find_a_name": ("Find a name", "이름 찾기"),
    "imported_vocabularies": ("Imported vocabularies", "가져온 어휘"),
    "instances": ("Instances", "인스턴스"),
    "keywords": ("Keywords", "키워드"),
    "license": ("License", "이용 허락"),
    "other_side": ("other side", "다른 쪽"),
    "parameters_the_results_use": (
        "Parameters (the results use the defaults)",
        "매개변수 (결과는 기본값 사용)",
    ),
    "properties": ("Properties", "속성"),
    "property": ("Property", "속성"),
    "quotes": ("Quotes", "인용문"),
    "referenced_by": ("Referenced by", "이것을 가리키는 것"),
    "results": ("Results", "결과"),
    "search": ("Search", "찾기"),
    "see_the_disagreement": ("see the disagreement", "불일치 보기"),
    "releases": ("Releases", "릴리스"),
    "releases_are_listed": (
        "Every version, from CHANGELOG.md. Each release's folder holds its dumps, views, shapes, "
        "query catalog, SHA256SUMS and release.ttl, a DCAT description that links the version "
        "before it.",
        "CHANGELOG.md에 적힌 모든 버전. 각 릴리스 폴더에는 덤프, 뷰, 셰이프, 질의 목록, "
        "SHA256SUMS, 그리고 이전 버전을 잇는 DCAT 설명 release.ttl이 있다.",
    ),
    "sha_256_sums_are": ("SHA-256 sums are also in", "SHA-256 값은 다음 파일에도 있다:"),
    "sitemap": ("Sitemap", "사이트맵"),
    "source": ("Source", "출처"),
    "the_catalog_as_rdf": (
        "The catalog as RDF (sparql-examples)",
        "RDF로 된 목록 (sparql-examples)",
    ),
    "the_data_model": ("The data model", "데이터 모델"),
    "the_query_catalog": ("The query catalog", "질의 목록"),
    "the_query_catalog_with": ("The query catalog, with results", "질의 목록과 결과"),
    "the_sides": ("The sides", "각 쪽의 주장"),
    "the_vocabulary": ("The vocabulary", "어휘"),
    "the_vocabulary_and_its": ("The vocabulary and its documentation", "어휘와 그 설명"),
    "this_description_as": ("This description as", "이 설명의 RDF"),
    "type": ("Type", "유형"),
    "value": ("Value", "값"),
    "version": ("Version", "버전"),
    "wego_knowledge_graph": ("WeGO Knowledge Graph", "WeGO 지식 그래프"),
    "what": ("What", "내용"),
    "without_javascript": (
        "Without JavaScript, find the name in this list (find-in-page works too).",
        "자바스크립트 없이도 이 목록에서 이름을 찾을 수 있다.",
    ),
}
