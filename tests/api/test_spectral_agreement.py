"""Agreement with Stoplight's spectral-cli (spectral:oas + OWASP rulesets) on the shared rules.

Runs only where spectral-cli and @stoplight/spectral-owasp-ruleset are installed, e.g.
``npm install --prefix /tmp/spectral @stoplight/spectral-cli @stoplight/spectral-owasp-ruleset``
(or set ARCHKIT_SPECTRAL to the ``spectral`` executable). Over every spec in
``tests/api/corpus/``, each finding of a shared rule must be found by both tools at the
same JSON pointer — in both directions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from archkit.api import RULES, check_spec
from archkit.api.source import pointer

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.yaml"))
# Spectral's rule name -> our code, for every rule both sides implement (oas3-schema's
# messages and places differ by design: we report one finding per place).
SHARED = {r.spectral: r.code for r in RULES.values() if r.spectral and r.code != "API002"}


def _spectral() -> Path | None:
    """``node_modules/.bin/spectral`` with the OWASP ruleset installed beside it, or None."""
    for candidate in (os.environ.get("ARCHKIT_SPECTRAL"), shutil.which("spectral"),
                      "/tmp/spectral/node_modules/.bin/spectral"):
        if candidate and Path(candidate).is_file():
            modules = Path(candidate).parent.parent  # node_modules/.bin/spectral
            if (modules / "@stoplight" / "spectral-owasp-ruleset").is_dir():
                return Path(candidate)
    return None


SPECTRAL = _spectral()
pytestmark = pytest.mark.skipif(SPECTRAL is None, reason="spectral-cli with the OWASP "
                                "ruleset is not installed")


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory) -> Path:
    modules = SPECTRAL.parent.parent
    path = tmp_path_factory.mktemp("spectral") / "ruleset.js"
    path.write_text(
        f'const {{ oas }} = require("{modules}/@stoplight/spectral-rulesets");\n'
        f'const owasp = require("{modules}/@stoplight/spectral-owasp-ruleset");\n'
        'module.exports = { extends: [[oas, "all"], owasp] };\n')
    return path


def spectral_findings(spec: Path, ruleset: Path) -> set[tuple[str, str]]:
    run = subprocess.run([str(SPECTRAL), "lint", "--ruleset", str(ruleset), "-f", "json", "-q",
                          str(spec)], capture_output=True, text=True, timeout=300)
    out = set()
    for result in json.loads(run.stdout or "[]"):
        code = SHARED.get(result["code"])
        if code is None:
            continue
        where = pointer(result["path"])
        if code == "API131" and where.endswith("/default"):
            code = "API008"  # we hold a default that breaks its schema invalid (as osv does)
        out.add((code, where))
    return out


def our_findings(spec: Path) -> set[tuple[str, str]]:
    wanted = set(SHARED.values()) | {"API008"}
    return {(f.code, f.object or "") for f in check_spec(spec).findings if f.code in wanted}


@pytest.mark.parametrize("spec", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_shared_finding_matches_in_both_directions(spec, ruleset):
    theirs, ours = spectral_findings(spec, ruleset), our_findings(spec)
    assert sorted(theirs - ours) == [], "found by spectral only"
    assert sorted(ours - theirs) == [], "found by archkit only"


def test_the_corpus_exercises_most_shared_rules(ruleset):
    seen = set()
    for spec in CORPUS:
        seen |= {code for code, _ in our_findings(spec)}
    assert set(SHARED.values()) <= seen, sorted(set(SHARED.values()) - seen)
