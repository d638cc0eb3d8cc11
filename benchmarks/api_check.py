"""`api check` and `api diff` on a large OpenAPI description, against openapi-spec-validator.

Usage::

    .venv/bin/python benchmarks/api_check.py [SPEC.yaml [NEXT.yaml]]

Without arguments, a large realistic description (benchmarks/api_synthetic.py: >1,000
operations, >10 MB of YAML, no aliases) and a later version of it are generated into a
temporary folder; give real files to measure those instead.

1. check: archkit's ``check_spec`` (read + validate + lint) and its validation alone,
   against openapi-spec-validator alone on the same file (read with PyYAML's C loader +
   ``validate``). Both verdicts are printed; they must agree. Goal: archkit faster.
2. diff: ``diff_specs`` between the two versions (both already read), and the number of
   removed operations it reports against the number actually removed.

Timings are CPU time of this process (``time.process_time``; the machine is shared),
best of several runs for archkit, one run for the slower peer (it is the floor).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archkit.api.check import check_spec  # noqa: E402
from archkit.api.diff import diff_specs  # noqa: E402
from archkit.api.source import load_spec  # noqa: E402
from archkit.api.validate import validate_spec  # noqa: E402
from benchmarks.api_synthetic import make_spec, next_version  # noqa: E402


class _NoAliases(yaml.CSafeDumper):
    def ignore_aliases(self, data):  # real descriptions repeat themselves instead
        return True


def _write(data: dict, path: Path) -> Path:
    path.write_text(yaml.dump(data, Dumper=_NoAliases, sort_keys=False, width=100))
    return path


def timed(fn, runs: int = 1):
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def osv_check(path: Path) -> bool:
    from openapi_spec_validator import validate

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    try:
        validate(data)
    except Exception:  # noqa: BLE001 - any failure is a 'not valid' verdict
        return False
    return True


def osv_check_json(path: Path) -> bool:
    from openapi_spec_validator import validate

    try:
        validate(json.loads(path.read_text(encoding="utf-8")))
    except Exception:  # noqa: BLE001 - any failure is a 'not valid' verdict
        return False
    return True


def main(argv: list[str]) -> None:
    removed: list[str] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        if argv:
            first = Path(argv[0])
            second = Path(argv[1]) if len(argv) > 1 else None
        else:
            v1 = make_spec()
            v2, removed = next_version(v1)
            first, second = _write(v1, Path(tmp) / "v1.yaml"), _write(v2, Path(tmp) / "v2.yaml")
        spec = load_spec(first)
        ops = sum(1 for item in spec.data.get("paths", {}).values() for m in item
                  if m in ("get", "put", "post", "delete", "options", "head", "patch", "trace"))
        print(f"spec: {first.name}, {first.stat().st_size / 1e6:.1f} MB, {ops} operations")
        import openapi_spec_validator  # noqa: F401 - its import cost is not the check's

        t_osv, osv_ok = timed(lambda: osv_check(first))
        t_ours, report = timed(lambda: check_spec(first), runs=3)
        t_val, _ = timed(lambda: validate_spec(load_spec(first)), runs=3)
        print(f"openapi-spec-validator (read + validate): {t_osv:6.2f} s  "
              f"verdict {'valid' if osv_ok else 'NOT valid'}")
        print(f"archkit api check (read + validate + lint): {t_ours:6.2f} s  verdict "
              f"{'valid' if report.valid else 'NOT valid'}, {len(report.findings)} finding(s)  "
              f"-> {t_osv / t_ours:.1f}x faster")
        print(f"archkit validate only (read + validate):  {t_val:6.2f} s  -> "
              f"{t_osv / t_val:.1f}x faster")
        print(f"same verdict: {osv_ok == report.valid}")
        as_json = Path(tmp) / f"{first.stem}.json"
        as_json.write_text(json.dumps(spec.data))
        t_osv_j, osv_ok_j = timed(lambda: osv_check_json(as_json))
        t_json, report_j = timed(lambda: check_spec(as_json), runs=3)
        print(f"the same as JSON ({as_json.stat().st_size / 1e6:.1f} MB): openapi-spec-validator "
              f"{t_osv_j:6.2f} s, archkit api check {t_json:6.2f} s -> "
              f"{t_osv_j / t_json:.1f}x faster; same verdict: {osv_ok_j == report_j.valid}")
        if second is not None:
            new = load_spec(second)
            t_diff, changes = timed(lambda: diff_specs(spec, new), runs=3)
            found = changes.ids().count("operation-removed")
            print(f"archkit api diff: {t_diff:6.2f} s, {len(changes)} change(s), "
                  f"{len(changes.errors)} error(s), operation-removed: {found}"
                  + (f" (actually removed: {len(removed)})" if removed is not None else ""))
            t_same, same = timed(lambda: diff_specs(spec, spec))
            print(f"archkit api diff (version against itself): {t_same:6.2f} s, "
                  f"{len(same)} change(s)")


if __name__ == "__main__":
    main(sys.argv[1:])
