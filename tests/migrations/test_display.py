"""Migration models show themselves in Jupyter, escaped for Markdown."""

from __future__ import annotations

from archkit.schema.diff import diff_sql
from archkit.schema.plan import plan_rollout
from archkit.schema.verify import CaseResult, Conformance, verify

A = "CREATE TABLE t (id integer PRIMARY KEY);"
B = 'CREATE TABLE t (id integer PRIMARY KEY, "<b>x|y</b>" text NOT NULL);'


def test_migration_plan_and_verification_render_markdown_inert():
    m = diff_sql(A, B, "sqlite")
    md = m._repr_markdown_()
    assert md.startswith("**Migration** (sqlite): 1 steps")
    assert "<b>" not in md and "&lt;b&gt;" in md and "x\\|y" in md
    plan = plan_rollout(diff_sql(A, B, "postgres"), backfill={"t.*": "''"})
    pmd = plan._repr_markdown_()
    assert "**Rollout plan** (postgres)" in pmd and "<b>" not in pmd
    assert "deploy the version that writes the new columns" in pmd
    ok = verify(A, A.replace("PRIMARY KEY", "PRIMARY KEY, n integer"), engine="sqlite")
    assert ok._repr_markdown_().startswith("✅ **Verified on SQLite**")


def test_conformance_report_lists_what_did_not_pass():
    report = Conformance("x.yml", "SQLite", [CaseResult("A", "pass"),
                                             CaseResult("B", "skip", "needs <roles>")])
    md = report._repr_markdown_()
    assert "1 pass, 0 fail, 1 skipped" in md and "&lt;roles&gt;" in md
