"""The Korean tokenizer, kiwipiepy, loaded once per process and only by the draft command.

kiwipiepy and its model (about 100 MB) are the optional extra ``curate``; nothing else in the
toolkit imports them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from wegokg.core.errors import ToolError

INSTALL_HINT = (
    "wegokg draft needs the Korean tokenizer kiwipiepy and its model: "
    "pip install 'wegokg[curate]' (or: pip install kiwipiepy kiwipiepy-model)"
)


class TokenizerMissingError(ToolError):
    """kiwipiepy or its model is not installed."""


@cache
def kiwi() -> Any:
    """The one Kiwi instance of this process. Without the typo and multi-word dictionaries it starts
    in about a second instead of four, and tags both stored articles identically."""
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        raise TokenizerMissingError(INSTALL_HINT) from None
    try:
        return Kiwi(load_typo_dict=False, load_multi_dict=False)
    except Exception as error:  # the model package missing or broken: kiwipiepy's own errors
        raise TokenizerMissingError(f"{INSTALL_HINT} ({type(error).__name__})") from None
