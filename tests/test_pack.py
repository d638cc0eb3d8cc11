from archkit.pack import build_pack


def test_pack_writes_requirements_and_index(tmp_path):
    result = build_pack("order-platform", tmp_path)
    assert {"requirements.md", "index.html"} <= set(result.files)
    md = (tmp_path / "requirements.md").read_text()
    assert md.startswith("# Requirements: Shopfront order platform")
    assert "| POST | /v1/orders | Check out a cart and place an order |" in md
    html = (tmp_path / "index.html").read_text()
    assert '<a href="requirements.md">' in html


def test_pack_is_deterministic(tmp_path):
    build_pack("order-platform", tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    second = build_pack("order-platform", tmp_path)
    assert second.changed == []
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
