"""The README's commands are true: the two a fresh machine needs are the ones CI runs, and
every `cin-validate ...` line of its examples runs as written."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner

from cin_validate.cli import main
from cin_validate.output.formats import BY_NAME, REGISTRY

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

def commands_in(blocks: list[str]) -> list[str]:
    """The `cin-validate ...` lines of shell or YAML blocks: a `run:` step or script line; a
    folded YAML scalar (`run: >`) is one command over several lines."""
    found = []
    for block in blocks:
        block = re.sub(r">\n((?:\s{10,}\S.*\n)+)",
                       lambda folded: " ".join(folded.group(1).split()) + "\n", block)
        for line in block.splitlines():
            line = re.sub(r"^\s*(?:-\s+|run:\s+)?", "", line)
            if line.startswith("cin-validate "):
                found.append(line.split("  #")[0].strip())
    return found


def ci_examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)


def example_commands() -> list[str]:
    """Every `cin-validate ...` command the README shows outside its CI examples: the lines of
    its shell blocks and the commands quoted in its text."""
    found = commands_in(re.findall(r"```sh\n(.*?)```", README, re.DOTALL))
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


def run_as_written(command: str, key: str | None = None):
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, args, env={"CIN_VALIDATE_REDACT_KEY": key})
    assert result.exit_code in (0, 1), (command, result.stdout[-500:], result.stderr)


def test_every_cin_validate_command_of_the_readme_runs_as_written(tmp_path, monkeypatch):
    """Each exits 0 or 1 (validated; passed or failed): an option the README names that the
    command line does not know, or a file it does not accept, is exit 2."""
    files_the_examples_name(tmp_path)
    monkeypatch.chdir(tmp_path)
    commands = example_commands()
    # the files other examples read come first: last year's counts, the baseline
    commands.sort(key=lambda command: not re.search(r"-o (last-year-counts|checked)\.json",
                                                    command))
    assert len(commands) >= 20
    for command in commands:
        run_as_written(command)


def test_the_ci_examples_run_as_written_with_the_key_their_secret_gives(tmp_path, monkeypatch):
    files_the_examples_name(tmp_path)
    monkeypatch.chdir(tmp_path)
    key = "the CI secret"
    (tmp_path / "checked").mkdir()  # the baseline the team committed, made with the same key
    run_as_written("cin-validate returns/ -o checked/cin-validate.json", key)
    commands = commands_in(ci_examples())
    assert len(commands) >= 3
    for command in commands:
        run_as_written(command, key)


def test_the_ci_examples_name_no_child():
    """CI logs and artifacts are widely readable: every CI example redacts, and GitHub's takes
    its key from a secret (the key alone implies --redact; an unset one is exit 2)."""
    for command in commands_in(ci_examples()):
        assert "--redact" in command.split(), command
    github = next(block for block in ci_examples() if "runs-on:" in block)
    assert re.search(r"CIN_VALIDATE_REDACT_KEY: \$\{\{ secrets\.\w+ \}\}", github)


def test_the_readme_says_which_formats_name_children_as_the_registry_declares():
    """Derived from the registry's flags: a format added there must be added here."""
    named = re.search(r"these formats name every child with\s+an issue by its ID: ([\w, ]+)",
                      README)
    assert named, "the README's list of the formats that name children"
    assert named.group(1).split(", ") == [fmt.name for fmt in REGISTRY
                                          if fmt.child_ids and fmt.name != "terminal"]
    assert not BY_NAME["terminal"].child_ids
    assert "(the terminal only with `--details`)" in " ".join(README.split())
    ci = re.search(r"The CI formats \(([^)]*)\) never print a UPN", README)
    assert re.findall(r"`(\w+)`", ci.group(1)) == [fmt.name for fmt in REGISTRY
                                                  if not fmt.personal_values]
