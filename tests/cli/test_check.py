"""`upline check`: exit codes, ladders on stdout, every error with its line on stderr."""

import subprocess
import sys
from pathlib import Path

from bot.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_repository_app_yaml_passes_and_prints_every_ladder(capsys):
    assert main(["check", str(REPO / "app.yaml")]) == 0
    out = capsys.readouterr().out
    assert "fsdp  FSDP (torch.distributed.fsdp)" in out
    assert "  2. distributed maintainers: wconstab, H-Huang" in out
    assert "lead core maintainer: soumith" in out


def test_config_with_five_mistakes_exits_1_and_lists_all_five(tmp_path, capsys):
    config = tmp_path / "bad.yaml"
    config.write_text(
        "project: Bad\n"
        "lead: U0LEAD\n"
        "core: {maintainers: [nobody]}\n"
        "sla:\n"
        "  question: {ack: 0s}\n"
        "  reminders: [2]\n"
        "areas:\n"
        "  - key: nn\n"
        "    parent: missing\n"
        "  - key: nn\n"
    )
    assert main(["check", str(config)]) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith("error:")]
    assert len(errors) == 5
    assert [line.split()[1].rsplit(":", 1)[1] for line in errors] == ["3", "5", "6", "9", "10"]
    assert err[-1] == f"{config}: 5 errors; nothing was loaded"


def test_warnings_go_to_stderr_and_do_not_fail(tmp_path, capsys):
    config = tmp_path / "warn.yaml"
    config.write_text("project: W\nlead: ghost\ncore: {maintainers: [U0CORE]}\npeople:\n  ghost: {}\n")
    assert main(["check", str(config)]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err and "ghost" in captured.err
    assert "warning" not in captured.out


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.yaml")]) == 1
    assert "cannot read the config: No such file or directory" in capsys.readouterr().err


def test_default_file_comes_from_upline_config(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UPLINE_CONFIG", str(REPO / "app.yaml"))
    assert main(["check"]) == 0


def test_python_dash_m_bot_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "bot", "check", str(REPO / "app.yaml")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "nn  NN APIs (torch.nn)" in result.stdout
