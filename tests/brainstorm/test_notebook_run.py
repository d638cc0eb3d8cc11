"""Running notebooks/01_brainstorming.ipynb offline writes the four ADR drafts and says why
Claude was not used (tests/notebooks only checks that every notebook runs clean)."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01_brainstorming.ipynb"


def test_notebook_writes_four_adr_drafts_offline(monkeypatch, tmp_path):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.setenv("ARCHKIT_NOTEBOOK_OUT", str(tmp_path))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()

    folder = tmp_path / "01_brainstorming" / "decisions"
    drafts = sorted(p.name for p in Path(folder).glob("*.md"))
    assert drafts == [
        "0001-api-style-for-the-storefront-and-merchant-apis-rest-json-over-http-openapi.md",
        "0002-primary-datastore-for-tenants-catalogue-and-orders-postgresql.md",
        "0003-modular-monolith-or-microservices-modular-monolith.md",
        "0004-message-broker-for-the-order-pipeline-kafka.md",
    ]
    broker = (folder / drafts[3]).read_text(encoding="utf-8")
    assert 'Chosen option: "Kafka", because it ranks first' in broker and "close call" in broker
    streams = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs if o.get("output_type") == "stream")
    assert ("Claude assist unavailable: no ANTHROPIC_API_KEY set. Showing the built-in "
            "catalogue entry 'cache-store' instead.") in streams
    assert "flip at weight 6: Amazon SQS (FIFO) + SNS takes over" in streams
