"""The search page's script (static/search.js) normalizes a query exactly as the Python index
builder normalizes names, so that what the index holds is what the box finds. Runs the script's
own normalize() in Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from conftest import require

from wegokg.publish.site.pages import SEARCH_SCRIPT
from wegokg.query.search import normalize

SAMPLES = [
    "São Paulo",
    "  Mexico \t  City ",
    "SEONGNAM",
    "성남시",
    "Ångström",
    "İstanbul",
    "Straße",
    "ΟΔΟΣ",
    "ﬁne",
    "Ｗｅｇｏ",
]


def test_the_inline_script_normalizes_like_the_index_builder():
    node = shutil.which("node")
    require(node is not None, "Node.js (node) to run the search page's script")
    match = re.search(r"function normalize\(s\) \{.*?\n  \}", SEARCH_SCRIPT, flags=re.S)
    assert match, "the search script has no normalize() function"
    program = (
        f"{match.group(0)}\nconsole.log(JSON.stringify({json.dumps(SAMPLES)}.map(normalize)));"
    )
    done = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [normalize(s) for s in SAMPLES]
