"""The README stays true: every CLI command is documented, every quick-start target exists."""

import argparse
import re
from pathlib import Path

import pytest

from archkit.cli import GROUPS, register_group

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: str) -> list[str]:
    parser = argparse.ArgumentParser(prog=f"archkit {group}")
    register_group(group, parser)
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(subs[0].choices) if subs else []


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_command_is_in_the_readme(group):
    commands = _commands(group) or [""]
    missing = [c for c in commands if f"archkit {group} {c}".strip() not in README]
    assert not missing, f"undocumented in README.md: {[f'archkit {group} {c}' for c in missing]}"


def test_quick_start_targets_exist_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    for target in re.findall(r"^make (\w+)", README, flags=re.M):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"make {target} has no target"


def test_notebooks_in_the_readme_exist():
    for name in re.findall(r"\(notebooks/([\w.]+\.ipynb)\)", README):
        assert (ROOT / "notebooks" / name).is_file(), name
    listed = set(re.findall(r"\(notebooks/([\w.]+\.ipynb)\)", README))
    actual = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert listed == actual, f"README and notebooks/ disagree: {listed ^ actual}"


def test_pictures_exist():
    for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / picture).is_file(), picture
