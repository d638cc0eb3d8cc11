from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity


def test_error_names_place_and_fix():
    err = ArchkitError("unknown dialect 'pg'", where=Where("s.sql", 3, 7), hint="use postgres")
    assert str(err) == "s.sql:3:7: unknown dialect 'pg' (hint: use postgres)"
    assert err.to_dict() == {
        "error": "unknown dialect 'pg'", "file": "s.sql", "line": 3, "col": 7,
        "hint": "use postgres",
    }


def test_error_without_place_is_just_the_message():
    assert str(ArchkitError("empty file")) == "empty file"


def test_error_markdown_is_escaped():
    md = ArchkitError("<script>x</script>")._repr_markdown_()
    assert "<script" not in md and "&lt;script>" in md


def test_findings_split_by_severity_and_render_escaped_table():
    items = Findings([
        Finding("SC101", Severity.WARNING, "no primary key", object="t", line=2, fix="add one"),
        Finding("SC001", Severity.ERROR, "bad | pipe", object="<b>", line=1),
    ])
    assert [f.code for f in items.errors] == ["SC001"]
    assert [f.code for f in items.sorted()] == ["SC001", "SC101"]
    table = items._repr_markdown_()
    assert "bad \\| pipe" in table and "&lt;b>" in table
    assert items.to_list()[0]["severity"] == "warning"


def test_finding_names_its_column_when_known():
    f = Finding("SC103", Severity.ERROR, "no column x", object="t", line=4, col=17, file="s.sql")
    assert str(f).startswith("s.sql:4:17: SC103 error [t]")
    assert f.to_dict()["col"] == 17


def test_markdown_escaping_keeps_raw_text_readable():
    from archkit.display import escape_markdown

    # what a person reads in the .md file: arrows, comparisons and "&" as typed
    assert escape_markdown("p99 -> 200 ms & x > y") == "p99 -> 200 ms & x > y"
    # what Markdown would read as syntax is still made inert
    assert escape_markdown("> quoted") == "\\> quoted"
    assert escape_markdown("&amp; &#106;") == "&amp;amp; &amp;#106;"
    assert escape_markdown("<img src=x>") == "&lt;img src=x>"
