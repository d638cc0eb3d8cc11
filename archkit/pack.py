"""The design pack: every artefact of a session in one folder with a static index.

Usage::

    from archkit.pack import build_pack
    result = build_pack("order-platform", "out")
    result.files   # paths written, relative to out/
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archkit.display import escape_html
from archkit.examples import example_dir
from archkit.fsio import atomic_write

__all__ = ["PackResult", "build_pack"]


@dataclass(slots=True)
class PackResult:
    """What a pack run wrote: files relative to ``out``, and which of them changed."""

    out: Path
    files: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def write(self, relative: str, data: str | bytes) -> None:
        if atomic_write(self.out / relative, data):
            self.changed.append(relative)
        self.files.append(relative)


def build_pack(source: str | Path, out: str | Path) -> PackResult:
    """Run an example (or a design folder) end to end and write its pack to ``out``."""
    from archkit.brainstorm.requirements import load_requirements

    folder = example_dir(source)
    result = PackResult(out=Path(out))
    reqs = load_requirements(folder / "requirements.yaml")
    result.write("requirements.md", reqs.to_markdown())
    result.write("index.html", _index_html(reqs.name, result.files))
    return result


def _index_html(title: str, files: list[str]) -> str:
    links = "\n".join(
        f'    <li><a href="{escape_html(f)}">{escape_html(f)}</a></li>' for f in sorted(files)
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'none'">
  <title>{escape_html(title)} — design pack</title>
</head>
<body>
  <h1>{escape_html(title)} — design pack</h1>
  <ul>
{links}
  </ul>
</body>
</html>
"""
