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


def test_each_area_prints_how_it_decides_beside_its_ladder_and_the_core_its_own_rule(capsys):
    assert main(["check", str(REPO / "app.yaml")]) == 0
    out = capsys.readouterr().out
    assert ("nn  NN APIs (torch.nn)\n"
            "  1. nn maintainers: mikaylagawarecki, albanD, jbschlosser\n"
            "  2. core maintainers: ezyang, gchanan, malfet, ngimel\n"
            "  3. lead core maintainer: soumith\n"
            "  decides by majority, quorum 50%, 7d\n") in out
    assert out.rstrip().endswith("core  decides by majority, quorum 50%, 5d")


def test_an_areas_decision_override_is_printed_for_it_and_its_children(tmp_path, capsys):
    config = tmp_path / "decides.yaml"
    config.write_text(
        "project: D\n"
        "lead: U0LEAD\n"
        "core: {maintainers: [U0CORE]}\n"
        "decisions: {quorum: 0.75, core: {rule: supermajority, duration: 2d}}\n"
        "areas:\n"
        "  - key: distributed\n"
        "    maintainers: [U0DIST]\n"
        "    decisions: {rule: lazy_consensus, duration: 36h, core: {duration: 1d}}\n"
        "  - key: fsdp\n"
        "    parent: distributed\n"
        "    maintainers: [U0FSDP]\n"
        "  - key: nn\n"
        "    maintainers: [U0NN]\n"
    )
    assert main(["check", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    decides = [line for line in lines if "decides by" in line]
    assert decides == [
        "  decides by lazy_consensus, quorum 75%, 1d12h; the core, on its matters, by supermajority, quorum 75%, 1d",
        "  decides by lazy_consensus, quorum 75%, 1d12h; the core, on its matters, by supermajority, quorum 75%, 1d",
        "  decides by majority, quorum 75%, 7d",
        "core  decides by supermajority, quorum 75%, 2d",
    ]


def test_mistakes_in_the_decision_keys_fail_the_check_each_with_its_line(tmp_path, capsys):
    config = tmp_path / "bad.yaml"
    config.write_text(
        "project: Bad\n"
        "lead: U0LEAD\n"
        "core: {maintainers: [U0CORE]}\n"
        "decisions:\n"
        "  rule: majoritty\n"
        "  quorum: 1.5\n"
        "areas:\n"
        "  - key: nn\n"
        "  - key: optim\n"
        "  - key: cuda\n"
        "    decisions: {duration: 0d}\n"
    )
    assert main(["check", str(config)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {config}:5 decisions.rule: unknown rule 'majoritty': use majority, supermajority, unanimous or "
        "lazy_consensus",
        f"error: {config}:6 decisions.quorum: 1.5 must be a fraction in (0, 1]",
        f"error: {config}:11 areas[2].decisions.duration: must be longer than zero",
    ]
