"""``wegokg draft``: the mechanical part of adding an article. From a saved news page it drafts
the article's file: the description, the extent, one quote per sentence, the known names with
their evidence, and the numbers, dates and new names as TODO comments for the curator.

It reads only names from the repository (through ``wegokg.query.matching``), so it works on a
repository that does not validate. Korean text analysis is kiwipiepy's, the optional extra
``curate``; nothing outside this package imports it.
"""

from wegokg.curate.draft.drafting import DraftOptions, DraftResult, build_draft, write_draft

__all__ = ["DraftOptions", "DraftResult", "build_draft", "draft_report", "write_draft"]


def draft_report(
    repository,
    page,
    output=None,
    options: DraftOptions | None = None,
    force: bool = False,
    format: str = "text",
) -> str:
    """Write the draft of ``page`` (see ``write_draft``) and return its report, as text or JSON."""
    from wegokg.curate.draft.report import to_json, to_text

    result = write_draft(repository, page, output, options, force)
    return (to_json if format == "json" else to_text)(result, repository.root)
