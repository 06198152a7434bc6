"""The README's commands are true: the two a fresh machine needs are the ones CI runs, and
every `cin-validate ...` line of its examples runs as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from cin_validate.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples"


def section(title: str) -> str:
    """The README's text under `title` (a heading line), up to the next heading of its level."""
    heading = re.search(rf"^(#+) {re.escape(title)}$", README, re.MULTILINE)
    assert heading, title
    level = heading.group(1)
    rest = README[heading.end():]
    end = re.search(rf"^{level} ", rest, re.MULTILINE)
    return rest[:end.start()] if end else rest


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.DOTALL)


def setup_commands() -> tuple[str, str]:
    """The README's two commands for a fresh machine: install and run, then the tests."""
    blocks = sh_blocks(section("Set up and run"))
    install, tests = blocks[0].strip(), blocks[1].strip()
    assert "\n" not in install and "\n" not in tests, "each is one line to copy"
    return install, tests


def test_the_readme_installs_into_a_virtual_environment_never_the_system_python():
    """Debian and Ubuntu refuse `pip install` into the system Python
    (externally-managed-environment): both commands make a virtual environment first and use
    its Python for pip, the tool and the tests."""
    for command in setup_commands():
        assert command.startswith("python3 -m venv .venv && "), command
        steps = command.split(" && ")[1:]
        assert steps and all(step.startswith(".venv/bin/") for step in steps), command
    install, tests = setup_commands()
    assert re.search(r"\.venv/bin/cin-validate examples/\S+\.xml$", install)
    assert tests.endswith(".venv/bin/python -m pytest")


def test_ci_runs_the_readme_commands_verbatim():
    install, tests = setup_commands()
    ci_lines = [line.strip() for line in CI.splitlines()]
    assert tests in ci_lines  # the tests, exactly as the README tells a person to run them
    assert install in ci_lines  # and the install line, in a fresh copy of the checkout
    assert ".venv/bin/python -m cin_validate examples/clean.xml" in CI


def test_the_readme_install_line_validates_a_shipped_clean_example():
    install, _ = setup_commands()
    example = install.rsplit(" ", 1)[1]
    result = CliRunner().invoke(main, [str(ROOT / example)])
    assert result.exit_code == 0, result.stdout


def test_the_readme_says_how_to_install_on_windows_with_pipx_and_without_path():
    text = section("Set up and run")
    for words in ("py -m venv .venv", r".venv\Scripts\python -m pip install .",
                  "pipx install .", "python -m cin_validate", "python3-venv"):
        assert words in text, words


# --- every example command of the README runs as written -------------------------------------

def example_commands() -> list[str]:
    """Every `cin-validate ...` command the README shows: the lines of its shell blocks, the
    `run:` steps and script lines of its CI examples, and the commands quoted in its text."""
    found = []
    for block in re.findall(r"```(?:sh|yaml)\n(.*?)```", README, re.DOTALL):
        # a folded YAML scalar (`run: >`) is one command over several lines
        block = re.sub(r">\n((?:\s{10,}\S.*\n)+)",
                       lambda folded: " ".join(folded.group(1).split()) + "\n", block)
        for line in block.splitlines():
            line = re.sub(r"^\s*(?:-\s+|run:\s+)?", "", line)
            if line.startswith("cin-validate "):
                found.append(line.split("  #")[0].strip())
    found += [quoted for quoted in re.findall(r"`(cin-validate [^`]+)`", README)
              if "|" not in quoted and quoted != "cin-validate return.xml"]
    return found


def files_the_examples_name(folder: Path) -> None:
    """The files the README's examples are run on, under the names they give them."""
    problems, clean = EXAMPLES / "problems.xml", EXAMPLES / "clean.xml"
    for name in ("return.xml", "r.xml", "a.xml", "FILE"):
        shutil.copy(problems, folder / name)
    shutil.copy(clean, folder / "b.xml")
    shutil.copytree(EXAMPLES, folder / "examples")
    (folder / "returns").mkdir()
    shutil.copy(problems, folder / "returns" / "cin-2025.xml")
    shutil.copy(clean, folder / "returns" / "cin-2025-clean.xml")
    last_year = clean.read_text(encoding="utf-8").replace("<Year>2025</Year>", "<Year>2024</Year>")
    (folder / "last-year.xml").write_text(
        last_year.replace("2025-03-31</ReferenceDate>", "2024-03-31</ReferenceDate>"),
        encoding="utf-8")


def test_every_cin_validate_command_of_the_readme_runs_as_written(tmp_path, monkeypatch):
    """Each exits 0 or 1 (validated; passed or failed): an option the README names that the
    command line does not know, or a file it does not accept, is exit 2."""
    import shlex

    files_the_examples_name(tmp_path)
    monkeypatch.chdir(tmp_path)
    commands = example_commands()
    # the counts file comes first: the --previous-counts examples read it
    commands.sort(key=lambda command: "stats last-year.xml" not in command)
    assert len(commands) >= 20
    for command in commands:
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(main, args, env={"CIN_VALIDATE_REDACT_KEY": None})
        assert result.exit_code in (0, 1), (command, result.stdout[-500:], result.stderr)
