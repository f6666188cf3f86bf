"""The names the curation tools offer, in a module that imports nothing, so that the command
line's choices read them without loading the drafting code: the formats of the draft's report
(``wegokg.curate.draft.draft_report``)."""

DRAFT_FORMATS = ("text", "json")
