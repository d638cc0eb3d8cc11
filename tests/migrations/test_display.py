"""Migration models show themselves in Jupyter, escaped for Markdown."""

from __future__ import annotations

from archkit.migrations.diff import diff_sql
from archkit.migrations.plan import plan_rollout
from archkit.migrations.verify import CaseResult, Conformance, verify

A = "CREATE TABLE t (id integer PRIMARY KEY);"
B = 'CREATE TABLE t (id integer PRIMARY KEY, "<b>x|y</b>" text NOT NULL);'


def test_migration_plan_and_verification_render_markdown_inert():
    m = diff_sql(A, B, "sqlite")
    md = m._repr_markdown_()
    assert md.startswith("**Migration** (sqlite): 1 steps")
    assert "<b>" not in md and "&lt;b>" in md and "x\\|y" in md
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
    assert "1 pass, 0 fail, 1 skipped" in md and "&lt;roles>" in md


def test_plan_sql_is_monospace_scrollable_and_never_maths():
    """A PL/pgSQL trigger body ($$ ... $$) in JupyterLab: MathJax skips <pre>/<code> and
    class mathjax_ignore; `$` goes out as &#36; for any other renderer."""
    import re

    a = "CREATE TABLE s (id integer PRIMARY KEY, carrier varchar(50) NOT NULL, n integer);"
    b = ("CREATE TABLE s (id integer PRIMARY KEY,\n carrier_code varchar(50) NOT NULL, "
         "-- archkit: renamed from carrier\n n integer);")
    plan = plan_rollout(diff_sql(a, b, "postgres"))
    assert any("$$" in s for p in plan.phases for s in p.up)
    html = plan._repr_html_()
    assert "$" not in html and "&#36;&#36;" in html
    blocks = re.findall(r'<pre class="archkit-sql mathjax_ignore" style="([^"]*)"><code>(.*?)'
                        r"</code></pre>", html, re.S)
    assert blocks and all("overflow-x:auto" in style and "monospace" in style
                          for style, _ in blocks)
    trigger = next(body for _, body in blocks if "&#36;&#36;" in body)
    assert "CREATE FUNCTION" in trigger and "<" not in trigger.replace("&lt;", "")
    assert html.count('class="mathjax_ignore"') >= 1
    migration = diff_sql(a, b, "postgres")._repr_html_()
    assert '<pre class="archkit-sql' in migration and "RENAME COLUMN carrier" in migration


def test_findings_are_shown_errors_first_in_words_and_colour():
    from archkit.findings import Finding, Findings, Severity

    found = Findings([Finding("SC204", Severity.WARNING, "no time zone", "t.at", 3, "use tz"),
                      Finding("SC105", Severity.ERROR, "no such column $1", "t.x", 9, "fix"),
                      Finding("SC999", Severity.INFO, "fyi", None, 1, "")])
    md = found.to_markdown()
    assert md.index("SC105") < md.index("SC204") < md.index("SC999")
    html = found._repr_html_()
    assert html.index("SC105") < html.index("SC204") < html.index("SC999")
    assert '<b style="color:#b71c1c">ERROR</b>' in html and ">WARNING</b>" in html
    assert "$" not in html and "no such column &#36;1" in html
    assert list(found) == list(Findings(found))  # the list itself keeps its order
