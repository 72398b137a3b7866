"""`upline import pytorch`: app.yaml on stdout that `upline check` accepts, a summary on stderr."""

from pathlib import Path

import pytest

from bot.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"


def test_import_prints_a_config_that_check_accepts(tmp_path, capsys):
    assert main(["import", "pytorch", str(FIXTURES / "small.md"),
                 "--codeowners", str(FIXTURES / "CODEOWNERS")]) == 0
    captured = capsys.readouterr()
    assert "areas" in captured.err and "people" in captured.err
    config = tmp_path / "imported.yaml"
    config.write_text(captured.out, encoding="utf-8")
    assert main(["check", str(config)]) == 0


def test_import_reads_the_rst_format_too(capsys):
    assert main(["import", "pytorch", str(FIXTURES / "small.rst")]) == 0
    assert capsys.readouterr().out.startswith("#")


def test_import_of_a_missing_file_exits_1_with_the_reason(tmp_path, capsys):
    assert main(["import", "pytorch", str(tmp_path / "nope.md")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_import_of_a_file_that_is_no_maintainer_list_exits_1(tmp_path, capsys):
    other = tmp_path / "README.md"
    other.write_text("# Hello\n\nNothing about maintainers here.\n")
    assert main(["import", "pytorch", str(other)]) == 1
    assert capsys.readouterr().err.startswith(f"error: {other}: ")


def test_import_help_shows_the_options_of_each_source(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["import", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "usage: upline import pytorch" in out
    assert "--codeowners CODEOWNERS" in out
    assert "persons_of_interest.md or persons_of_interest.rst" in out
