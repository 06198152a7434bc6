"""Every value from a file or a path is shown as plain text: never Rich markup, and the
controls XML allows (C1 controls such as U+009B, the terminal's CSI; bidirectional overrides
and isolates; invisible format characters) are shown as visible escapes (`\\u202e`) in the
terminal, GitHub and HTML formats and in the one-line errors. The data formats (JSON, CSV)
keep the values as written."""

import io
import json

import pytest
from builders import child, make_return
from output_helpers import run
from rich.console import Console

from cin_validate import batch
from cin_validate.output import progress, terminal
from cin_validate.output.plain import visible


CODES = ("AUT", "BEH", "COMM", "CON", "DDA", "HAND", "HEAR", "INC")  # keeps 2887Q quiet
# A child ID and an LA code holding controls a terminal or a browser would act on.
HIDDEN_ID = "C\u202e1\u2066x\u2069\u009b31m\u200b"
HIDDEN_LA = "20\u009b1"
HIDDEN_SHOWN = ("\\u202e", "\\u2066", "\\u2069", "\\u009b", "\\u200b")
HIDDEN_RAW = ("\u202e", "\u2066", "\u2069", "\u009b", "\u200b")


def write(folder, name, xml):
    path = folder / name
    path.write_text(xml, encoding="utf-8")
    return path


def la_return(tmp_path, la, name="r.xml"):
    return write(tmp_path, name, make_return(child(id="C1", disabilities=CODES), la=la))


# --- Rich markup ---------------------------------------------------------------------------

@pytest.mark.parametrize("la", ["[/x]", "[link=https://example.invalid/]201[/link]",
                                "[bold red]201", ":warning:"])
def test_markup_in_an_la_code_is_shown_as_written_in_the_summary_of_several_files(tmp_path,
                                                                                   la):
    paths = [la_return(tmp_path, la, "a.xml"), la_return(tmp_path, "201", "b.xml")]
    result = run(*paths, "-j", "1", "-q", "--no-config")  # -q: the summary table alone
    assert result.exit_code == 0, result.stderr
    assert la in result.stdout


def test_no_link_or_style_comes_from_a_value_on_a_real_terminal(tmp_path):
    la = "[link=https://example.invalid/]201[/link]"
    path = la_return(tmp_path, la)
    results = batch.judge([batch.validate_one(str(path)), batch.validate_one(str(path))],
                          "error")
    buffer = io.StringIO()
    terminal.render_many(results, Console(file=buffer, force_terminal=True, width=200))
    shown = buffer.getvalue()
    assert "\x1b]8;" not in shown  # no OSC 8 hyperlink
    assert la in shown


def test_a_file_name_reaches_the_progress_bar_as_plain_text(tmp_path):
    path = la_return(tmp_path, "201", "odd[link=x]name[bold].xml")
    with progress.bar([str(path)], enabled=True, per_child=True) as bar:
        bar.child(str(path), 1)
        buffer = io.StringIO()
        Console(file=buffer, width=200).print(bar.progress.make_tasks_table(bar.progress.tasks))
    assert "odd[link=x]name[bold].xml" in buffer.getvalue()


# --- controls shown as escapes -------------------------------------------------------------

@pytest.fixture
def hidden(tmp_path):
    return write(tmp_path, "hidden.xml", make_return(child(id=HIDDEN_ID, disabilities=CODES),
                                                     la=HIDDEN_LA))


@pytest.mark.parametrize("fmt", ["terminal", "github", "html", "concise"])
def test_controls_are_shown_as_escapes_in_the_formats_people_read(tmp_path, hidden, fmt):
    out = tmp_path / f"report.{fmt}.out"
    result = run(hidden, "--format", fmt, "--details", "--output", out, "--no-config")
    assert result.exit_code == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    for raw in HIDDEN_RAW:
        assert raw not in text, (fmt, raw)
    for shown in HIDDEN_SHOWN:
        assert shown in text, (fmt, shown)


def test_the_terminal_shows_controls_as_escapes_live_too(hidden):
    result = run(hidden, "--details", "--no-config")
    assert not set("".join(HIDDEN_RAW)) & set(result.stdout)
    assert "C\\u202e1" in result.stdout and "20\\u009b1" in result.stdout


def test_the_data_formats_keep_the_values_as_written(hidden):
    data = json.loads(run(hidden, "--format", "json", "--no-config").stdout)
    assert data["la"] == HIDDEN_LA
    assert HIDDEN_ID in {issue["child_id"] for issue in data["issues"]}


def test_an_error_line_shows_controls_in_a_path_as_escapes_and_stays_one_line(tmp_path):
    missing = tmp_path / "no\x1b]8;;x\x07such\nfile.xml"
    result = run(missing)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "no\\u001b]8;;x\\u0007such\\u000afile.xml: no such file" in result.stderr


def test_visible_leaves_ordinary_text_alone_and_escapes_only_what_would_act():

    assert visible("Hôpital, St\u00a0Mary's — 201") == "Hôpital, St\u00a0Mary's — 201"
    assert visible("a\u202eb\u0085c\x1bd\U000e0001") == "a\\u202eb\\u0085c\\u001bd\\U000e0001"
    assert visible("tab\there") == "tab\\u0009here"
