"""The formats are declared once (`output.formats.REGISTRY`): every list of them is derived from
it. Each is written as it is drawn, and JSON keeps the bytes of its public contract."""

import io
import json
import re
from pathlib import Path

import click
import pytest
from builders import child, make_return
from output_helpers import PROBLEMS, run

from cin_validate import batch, config, issuelog, privacy
from cin_validate.cli import validate
from cin_validate.output import formats
from cin_validate.output.files import write_output
from cin_validate.selection import resolve

README = Path(__file__).resolve().parents[1] / "README.md"


# --- one registry ---------------------------------------------------------------------------

def test_the_lists_of_formats_are_the_registrys():
    names = [fmt.name for fmt in formats.REGISTRY]
    assert list(formats.FORMATS) == names == ["terminal", "json", "github", "junit", "csv",
                                               "xlsx", "html", "concise"]
    assert formats.EXTENSIONS == {".txt": "terminal", ".json": "json", ".xml": "junit",
                                  ".csv": "csv", ".xlsx": "xlsx", ".html": "html",
                                  ".htm": "html"}
    assert config.KEYS["format"] == ("one of", formats.FORMATS)
    (option,) = [param for param in validate.params if param.name == "fmt"]
    assert isinstance(option.type, click.Choice) and list(option.type.choices) == names
    assert [fmt.name for fmt in formats.REGISTRY if fmt.binary] == ["xlsx"]


def test_an_extension_the_registry_does_not_hold_is_refused_naming_every_one(tmp_path):
    result = run(PROBLEMS, "-o", tmp_path / "a.json", "-o", tmp_path / "b.pdf")
    assert result.exit_code == 2
    for extension in formats.EXTENSIONS:
        assert extension in result.stderr
    help_text = " ".join(run("validate", "--help").stdout.split())
    assert all(extension in help_text for extension in formats.EXTENSIONS)


def test_the_configuration_file_accepts_the_registrys_formats_only(tmp_path):
    settings = tmp_path / "cin-validate.toml"
    for name in formats.FORMATS:
        settings.write_text(f'format = "{name}"\n')
        assert config.load(settings).get("format") == name
    settings.write_text('format = "pdf"\n')
    with pytest.raises(config.ConfigError, match="one of terminal, json"):
        config.load(settings)


def test_the_readme_lists_the_registrys_formats_and_extensions():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Formats"):text.index("### Choosing rules")]
    assert re.findall(r"^- \*\*(\w+)\*\*:", section, re.MULTILINE) == list(formats.FORMATS)
    first_paragraph = section.split("\n\n")[1]
    assert re.findall(r"`(\.\w+)`", first_paragraph) == list(formats.EXTENSIONS)


# --- JSON: written issue by issue, the same bytes ---------------------------------------------

def expected_json(results, several: bool) -> bytes:
    """The JSON as one `json.dumps` of the whole report writes it: the contract's bytes. One
    file's object, alone or in the list of several, ends with its verdict."""
    value = [{**result.report.to_dict(), "verdict": result.verdict}
             if result.report is not None else
             {"file": result.path, "verdict": result.verdict, "error": result.error,
              "error_line": result.line} for result in results]
    if not several:
        (value,) = value
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def written(fmt: str, results, several: bool) -> bytes:
    out = io.BytesIO()
    formats.write(fmt, out, results, formats.Options(several=several, fail_on="error"))
    return out.getvalue()


@pytest.fixture
def odd_return(tmp_path):
    """Values JSON must escape or keep as written: quotes, backslashes, non-ASCII, controls."""
    path = tmp_path / "odd.xml"
    path.write_text(make_return(child(id='C"1\\é', extra="<Odd>x\u00e9\u202e\"</Odd>"),
                                child(id="C\u00a02", dob="2030-01-01")), encoding="utf-8")
    return path


@pytest.mark.parametrize("in_memory", [None, 3])  # held, and spilled to the temporary file
def test_the_json_of_one_file_is_byte_for_byte_one_dumps_of_the_report(monkeypatch, odd_return,
                                                                       tmp_path, in_memory):
    if in_memory:
        monkeypatch.setattr(issuelog, "IN_MEMORY", in_memory)
    for path in (PROBLEMS, odd_return):
        results = batch.judge([batch.validate_one(str(path))], "error")
        assert written("json", results, several=False) == expected_json(results, False)
    redacted = batch.judge([batch.validate_one(str(PROBLEMS))], "error")
    redacted[0].report = privacy.redact(redacted[0].report, privacy.Pseudonyms(b"k"))
    assert written("json", redacted, several=False) == expected_json(redacted, False)
    none = batch.judge([batch.validate_one(str(PROBLEMS), resolve(("8540",), ("S",)))],
                       "error")
    assert none[0].report.to_dict()["issues"] == []  # "issues": [] as well
    assert written("json", none, several=False) == expected_json(none, False)


def test_the_json_of_several_files_is_byte_for_byte_one_dumps_of_the_list(odd_return,
                                                                          tmp_path):
    paths = [str(PROBLEMS), str(tmp_path / "missing.xml"), str(odd_return)]
    results = batch.judge(batch.validate_all(paths), "error")
    assert [result.report is None for result in results] == [False, True, False]
    assert written("json", results, several=True) == expected_json(results, True)
    assert written("json", results[1:2], several=True) == expected_json(results[1:2], True)


def test_the_command_line_writes_the_same_json_to_a_file_and_to_standard_output(tmp_path):
    out = tmp_path / "report.json"
    assert run(PROBLEMS, "-o", out).exit_code == 1
    results = batch.judge([batch.validate_one(str(PROBLEMS))], "error")
    assert out.read_bytes() == expected_json(results, False)
    assert run(PROBLEMS, "--format", "json").stdout_bytes == expected_json(results, False)


# --- an output file is written as it is drawn, whole or not at all ----------------------------

def test_a_draw_that_fails_half_way_leaves_the_file_as_it_was(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("last month's")
    seen = []

    def draw(out):
        out.write(b"half a report")
        out.flush()
        seen.extend(path.read_bytes() for path in tmp_path.iterdir() if path != target)
        raise RuntimeError("a renderer failed")

    with pytest.raises(RuntimeError):
        write_output(target, draw)
    assert seen == [b"half a report"]  # drawn into the temporary file beside it, as it went
    assert target.read_text() == "last month's"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]
