import json
import subprocess
import sys

from archkit import __version__
from archkit.cli import main


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"archkit {__version__}"


def test_help_lists_every_group(capsys):
    try:
        main(["--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    for group in ("brainstorm", "schema", "c4", "adr", "pack"):
        assert group in out


def test_unknown_command_exits_2(capsys):
    try:
        code = main(["frobnicate"])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_bad_input_is_one_message_exit_2_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "archkit.cli", "pack", "no-such-example", "--out", str(tmp_path)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("archkit: error: no example or folder named 'no-such-example'")


def test_json_error_document_on_stdout(tmp_path, capsys):
    code = main(["pack", "no-such-example", "--out", str(tmp_path), "--json"])
    assert code == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["error"].startswith("no example or folder named")
    assert doc["hint"]
