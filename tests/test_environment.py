"""environment.yml (conda / Binder) must name the same packages as pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def _names(specs):
    return {_NAME.match(s).group(1).lower().replace("_", "-") for s in specs}


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += [p for p in dep["pip"] if not p.startswith("-e")]
        else:
            conda.append(dep)
    env_names = _names(conda + pip) - {"python", "pip", "graphviz"}
    assert env_names == _names(project["dependencies"])
    assert any(p.strip() == "-e ." for d in env["dependencies"] if isinstance(d, dict)
               for p in d["pip"]), "environment.yml must install archkit itself"
    assert "graphviz" in conda, "Binder needs Graphviz's dot from conda-forge"
    assert any(str(c).startswith("python>=3.11") for c in conda)
