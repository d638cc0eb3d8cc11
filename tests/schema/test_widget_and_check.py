"""The DDL box (controller and ipywidgets view) and the workshop check cell."""

from __future__ import annotations

import re

import archkit.check
from archkit.widgets.schema_box import SchemaBoxController, schema_box

GOOD_CARTS = """\
CREATE TABLE carts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carts_user_id_idx ON carts (user_id);
CREATE TABLE cart_items (
    cart_id bigint NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES products (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (cart_id, product_id)
);
CREATE INDEX cart_items_product_id_idx ON cart_items (product_id);
"""


def test_controller_rechecks_on_every_change_and_tells_listeners():
    calls = []
    c = SchemaBoxController("CREATE TABLE t (id serial PRIMARY KEY);", "postgres")
    c.on_change(lambda: calls.append(c.summary))
    assert c.report.findings.codes() == ["SC203"]
    c.set_text("CREATE TABLE t (id bigint PRIMARY KEY, id int);")
    assert c.report.findings.codes() == ["SC102"]
    c.set_dialect("mysql")
    assert calls == ["1 tables, 0 views, 0 indexes — 1 error(s), 0 warning(s)"] * 2
    c.set_text("")
    assert c.report is None and c.summary == "type a CREATE TABLE statement"


def test_bad_input_is_shown_as_a_message_not_raised():
    c = SchemaBoxController("-- only a comment", "postgres")
    assert c.summary.startswith("cannot check: ") and "no SQL statements" in c.summary


def test_widget_follows_the_text_area_and_escapes_findings():
    box = schema_box("CREATE TABLE t (id serial PRIMARY KEY);")
    assert 'class="archkit-findings"' in box.output.value and "SC203" in box.output.value
    box.text.value = ('CREATE TABLE "<b>x</b>" (id bigint PRIMARY KEY, "<b>x</b>" int,'
                      " x int, x int);")
    html = box.output.value
    assert "SC102" in html and "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    box.dialect.value = "sqlite"
    assert box.controller.dialect == "sqlite"
    assert "application/vnd.jupyter.widget-view+json" in box._repr_mimebundle_()


def test_check_cell_passes_a_good_answer_and_explains_a_bad_one():
    assert "cart_tables" in archkit.check.exercises()
    good = archkit.check.cart_tables(GOOD_CARTS)
    assert good.passed, good.wrong
    bad = archkit.check.cart_tables(
        "CREATE TABLE carts (id serial PRIMARY KEY, user_id bigint REFERENCES users (uid));\n"
        "CREATE TABLE cart_items (cart_id bigint REFERENCES carts (id), quantity int);")
    assert not bad.passed
    wrong = " | ".join(bad.wrong)
    assert "line 1: foreign key on carts references users.uid" in wrong
    assert "add product_id bigint REFERENCES products (id)" in wrong
    assert "add ON DELETE CASCADE to the cart_id reference" in wrong
    assert not archkit.check.cart_tables("").passed
    assert not archkit.check.cart_tables("CREATE TABLE (").passed


def test_the_ddl_box_lists_errors_first_in_words_and_colour():
    from archkit.widgets.schema_box import SchemaBoxController

    c = SchemaBoxController("CREATE TABLE t (id serial PRIMARY KEY, at timestamp);\n"
                            "CREATE INDEX t_x ON t (nope);", dialect="postgres")
    html = c.findings_html()
    codes = re.findall(r"<td>(SC\d+)</td>", html)
    assert codes[0].startswith("SC1") and any(x.startswith("SC2") for x in codes[1:])
    assert ">ERROR</b>" in html and ">WARNING</b>" in html and "mathjax_ignore" in html
