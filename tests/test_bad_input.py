"""Bad input never produces a traceback: one line naming the file and place, exit code 2.

The input file is never modified.
"""

import hashlib
import json
import os

import pytest
from builders import child, make_return
from click.testing import CliRunner

from cin_validate.cli import main

GOOD = make_return(child(id="C1"))

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Message [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Message><Header/><Children><Child><ChildIdentifiers><LAchildID>&lol4;</LAchildID></ChildIdentifiers></Child></Children></Message>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Message><Header/><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child></Children></Message>
"""

XXE_PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<Message/>
"""

BAD_INPUTS = {
    "empty": b"",
    "whitespace only": b"   \n\n",
    "not xml": b"LAchildID,UPN\nC1,H801200001001\n",
    "binary": bytes(range(256)) * 4,
    "truncated": GOOD[: len(GOOD) // 2].encode(),
    "wrong root": b"<?xml version='1.0'?><Children><Child/></Children>",
    "html": b"<html><body>not a return</body></html>",
    "wrong encoding": GOOD.replace("C1", "C\xe91").encode("latin-1"),
    "declared encoding unknown": GOOD.replace("UTF-8", "X-NOPE").encode(),
    "billion laughs": BILLION_LAUGHS.encode(),
    "xxe": XXE.encode(),
    "xxe parameter entity": XXE_PARAMETER.encode(),
    "deep nesting": b"<Message>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Message>",
    "huge text node": b"<Message><Header/><Children><Child><ChildIdentifiers><LAchildID>"
                      + b"A" * 12_000_000 + b"</LAchildID></ChildIdentifiers></Child></Children></Message>",
    "two roots": GOOD.encode() + b"<Message/>",
}


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_bad_input_gives_one_line_and_exit_2(tmp_path, name, fmt):
    path = tmp_path / "bad.xml"
    path.write_bytes(BAD_INPUTS[name])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run(str(path), "--format", fmt)
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"cin-validate: error: {path}")
    assert "Traceback" not in result.output
    if fmt == "terminal":
        assert result.stdout == ""  # no half report
    else:  # a whole one that says why, for the script parsing it
        error = lines[0].removeprefix("cin-validate: error: ")
        assert json.loads(result.stdout) == {"file": str(path), "verdict": "unreadable",
                                             "error": error,
                                             "error_line": json.loads(result.stdout)["error_line"]}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("name, place", [
    ("truncated", ":"), ("wrong encoding", ":"), ("xxe", ":2"), ("billion laughs", ":2"),
])
def test_the_error_names_the_line(tmp_path, name, place):
    path = tmp_path / "bad.xml"
    path.write_bytes(BAD_INPUTS[name])
    message = run(str(path)).stderr
    assert message.startswith(f"cin-validate: error: {path}{place}")


def test_hostile_entities_are_refused_not_expanded(tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_bytes(BAD_INPUTS["xxe"])
    result = run(str(path), "--format", "json")
    assert "root:" not in result.output  # nothing of /etc/passwd
    assert "entities" in result.stderr


def test_an_external_dtd_is_not_fetched(tmp_path):
    xml = GOOD.replace("<Message>", '<!DOCTYPE Message SYSTEM "http://127.0.0.1:9/cin.dtd">\n<Message>')
    path = tmp_path / "dtd.xml"
    path.write_text(xml)
    result = run(str(path), "--format", "json")
    assert result.exit_code in (0, 1), result.stderr


@pytest.mark.parametrize("target", ["missing.xml", "."])
def test_missing_file_or_directory(tmp_path, target):
    result = run(str(tmp_path / target))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_output_is_never_written_over_the_input(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(GOOD)
    result = run(str(path), "--format", "json", "--output", str(path))
    assert result.exit_code == 2
    assert path.read_text() == GOOD
    assert "refusing" in result.stderr


def test_output_into_a_missing_folder_is_one_line(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(GOOD)
    result = run(str(path), "--format", "json", "--output", str(tmp_path / "no" / "such" / "r.json"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("name, content, hint", [
    ("export.csv", b"LAchildID,UPN,Sex\r\nC1,A123,M\r\n", "this looks like a CSV file"),
    ("export.csv", "\ufeffLAchildID;UPN\nC1;A1\n".encode(), "this looks like a CSV file"),
    ("return.xlsx", b"PK\x03\x04" + bytes(200), "this looks like an Excel workbook (.xlsx)"),
    ("return.xls", b"\xd0\xcf\x11\xe0" + bytes(200), "this looks like an old Excel workbook"),
    ("report.json", b'  {"file": "x"}', "this looks like a JSON file"),
])
def test_a_file_given_by_mistake_gets_a_hint_of_what_it_is(tmp_path, name, content, hint):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(str(path))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"not well-formed XML" in line and hint in line
    assert line.endswith("cin-validate reads the CIN census XML return)")


@pytest.mark.parametrize("content", [b"not xml at all", b"<Message><Header>", b"a\nb,c\n"])
def test_no_hint_when_the_file_does_not_look_like_anything_else(tmp_path, content):
    path = tmp_path / "r.xml"
    path.write_bytes(content)
    assert "this looks like" not in run(str(path)).stderr


def test_one_unreadable_file_still_gives_each_machine_format_saying_why(tmp_path):
    """A CI job that parses or uploads the report finds why the export could not be read: the
    JSON object of an unreadable file, one GitHub error, a JUnit <error>, a CSV row, every -o
    file written whole; the terminal shows only the line on standard error; exit 2."""
    import xml.etree.ElementTree as ET

    path = tmp_path / "bad.xml"
    path.write_bytes(BAD_INPUTS["truncated"])
    error = run(str(path)).stderr.strip().removeprefix("cin-validate: error: ")
    assert run(str(path)).stdout == ""
    data = json.loads(run(str(path), "--format", "json").stdout)
    assert data == {"file": str(path), "verdict": "unreadable", "error": error,
                    "error_line": data["error_line"]} and data["error_line"]
    github = run(str(path), "--format", "github").stdout.splitlines()
    assert len(github) == 1 and github[0].startswith(f"::error file={path}")
    outputs = [tmp_path / name for name in ("r.json", "r.xml", "r.csv", "r.html", "r.xlsx",
                                            "r.txt")]
    result = run(str(path), *[arg for out in outputs for arg in ("-o", str(out))])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert json.loads(outputs[0].read_text())["verdict"] == "unreadable"
    assert ET.parse(outputs[1]).getroot().find("testsuite/testcase/error") is not None
    assert '"unreadable"' in outputs[2].read_text(encoding="utf-8-sig")
    assert all(out.stat().st_size > 0 for out in outputs)
    assert error in outputs[5].read_text()


@pytest.mark.parametrize("fail_on, verdict", [("error", "fail"), ("never", "pass")])
def test_the_json_of_one_file_says_its_verdict(fail_on, verdict):
    from output_helpers import PROBLEMS

    data = json.loads(run(str(PROBLEMS), "--format", "json", "--fail-on", fail_on,
                          "--no-config").stdout)
    assert data["verdict"] == verdict and data["summary"]["errors"] > 0


def test_a_folder_that_cannot_be_listed_is_exit_2_in_one_line(tmp_path, monkeypatch):
    """(Root reads any folder, so the refusal is simulated.)"""
    from pathlib import Path

    folder = tmp_path / "returns"
    folder.mkdir()

    def refused(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refused)
    result = run(str(folder), "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (f"cin-validate: error: {folder}: the folder cannot be read: "
                             "Permission denied\n")


def test_a_pipe_or_a_symbolic_link_loop_is_named_for_what_it_is(tmp_path):
    """A return is read twice, so a pipe cannot be one (it would be empty the second time);
    a link loop is not a missing file."""
    fifo = tmp_path / "export.xml"
    os.mkfifo(fifo)
    result = run(str(fifo), "--no-config")
    assert result.exit_code == 2 and "is not a regular file (a pipe or a device)" in result.stderr
    (tmp_path / "a.xml").symlink_to(tmp_path / "b.xml")
    (tmp_path / "b.xml").symlink_to(tmp_path / "a.xml")
    for config in (("--no-config",), ()):  # the configuration file is looked for beside it
        result = run(str(tmp_path / "a.xml"), *config)
        assert result.exit_code == 2 and "cannot be read: Too many levels of symbolic links" in \
            result.stderr


@pytest.mark.parametrize("fmt", ["terminal", "json", "csv", "github", "junit", "html", "xlsx",
                                 "concise"])
def test_a_file_name_that_is_not_utf8_is_validated(tmp_path, fmt):
    """A name holding a Latin-1 "é" (bytes no UTF-8 decoder accepts) is read, and shown with
    "?" for that byte, in every format."""
    from output_helpers import PROBLEMS

    folder = tmp_path / "returns"
    folder.mkdir()
    name = os.fsdecode(os.fsencode(folder) + b"/caf\xe9.xml")
    with open(name, "wb") as out:
        out.write(PROBLEMS.read_bytes())
    output = tmp_path / f"report.{fmt}"
    result = run(name, "--format", fmt, "-o", str(output), "--no-config")
    assert result.exit_code == 1, result.stderr
    assert output.stat().st_size > 0
    if fmt == "json":
        assert json.loads(output.read_text())["file"].endswith("caf?.xml")


@pytest.mark.parametrize("text, place, message", [
    # the exception said "Start tag expected" at 1:1: a later consequence, elsewhere
    ("\n".join(["<Message>", "<Children>"] + ["<Child/>"] * 40
               + ["<Child><ChildIdentifiers><LAchildID>C&nbsp;40</LAchildID>"
                  "</ChildIdentifiers></Child>", "</Children>", "</Message>"]),
     ":43:44", "Entity 'nbsp' not defined"),
    ("<Message>\n<Children>&amp;&foo;</Children></Message>\n", ":2:21",
     "Entity 'foo' not defined"),  # the exception said "no element found", with no place
    ('<?xml version="1.0"?>\n<Message>\x00</Message>\n', ":2:10",
     "Invalid character: Char 0x0 out of allowed range"),  # its message ended in a newline
])
def test_the_error_is_the_first_fault_where_it_is(tmp_path, text, place, message):
    path = tmp_path / "bad.xml"
    path.write_text(text)
    result = run(str(path), "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (f"cin-validate: error: {path}{place}: not well-formed XML: "
                             f"{message}\n")


@pytest.mark.parametrize("command", [("notes",), ("stats",), ("validate", "--previous")])
def test_a_folder_given_as_one_return_is_one_line(tmp_path, command):
    from output_helpers import PROBLEMS

    folder = tmp_path / "returns"
    folder.mkdir()
    args = [*command, str(folder)] if command[0] != "validate" else [str(PROBLEMS), *command[1:],
                                                                     str(folder)]
    result = run(*args, "--no-config") if command[0] == "validate" else run(*args)
    assert result.exit_code == 2
    prefix = "--previous " if command[0] == "validate" else ""
    assert result.stderr == f"cin-validate: error: {prefix}{folder}: is a directory, not a return\n"
