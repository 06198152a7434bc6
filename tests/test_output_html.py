"""`--format html`: one self-contained page, checked in a real headless browser (chromium).

The browser test loads the page from a file, lets its inline script run and reads the DOM back
(`--dump-dom`): the page's text, and that `#rule=CODE` in the address shows only that rule's
rows. A screenshot must not be blank. It skips, saying so, only where no chromium exists.
"""

import shutil
import struct
import subprocess
import zlib
from collections import Counter

import pytest
from lxml import html as lxml_html
from output_helpers import PROBLEMS, problems_report, run

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary on PATH: the HTML report is not checked in a browser "
                "(install it with `apt-get install -y chromium`, as .ci/run does)")


def chromium(tmp_path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    args = [browser(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    out = tmp / "report.html"
    result = run(PROBLEMS, "--output", out)
    assert result.stdout == ""
    return out


def dom(tmp_path, page, fragment: str = ""):
    done = chromium(tmp_path, page.as_uri() + fragment, "--dump-dom")
    return lxml_html.fromstring(done.stdout)


def rows(tree):
    return tree.xpath('//table[@id="issues"]/tbody/tr[@data-rule]')


def visible(tree):
    return [row for row in rows(tree) if row.get("hidden") is None]


def test_self_contained_no_network(page):
    text = page.read_text(encoding="utf-8")
    assert "http:" not in text and "https:" not in text and "//" not in text.split("<script>")[0]
    assert "<link" not in text and " src=" not in text and "@import" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text


def test_page_text_in_a_browser(tmp_path, page):
    report = problems_report()
    tree = dom(tmp_path, page)
    text = " ".join(tree.text_content().split())
    for expected in (str(PROBLEMS), "201 City of London", "2024-04-01 to 2025-03-31",
                     "Children in need census 2024 to 2025", "Issues by rule",
                     f"{len(report.issues)} of {len(report.issues)} issues shown"):
        assert expected in text, expected
    for note in report.notes:
        assert " ".join(note.split()) in text
    assert len(tree.xpath('//button[contains(@class, "copy")]')) == len(report.notes)
    assert len(rows(tree)) == len(visible(tree)) == len(report.issues)
    # the chart: one bar per rule that fired, each a link that filters the table
    bars = tree.xpath("//svg//a/@href")
    assert sorted(bars) == sorted(f"#rule={code}" for code, *_ in report.by_rule())


@pytest.mark.parametrize("code", ["S02", "1520"])
def test_filter_by_rule_from_the_address_shows_only_its_rows(tmp_path, page, code):
    report = problems_report()
    expected = [issue for issue in report.issues if issue.code == code]
    assert expected, f"the fixture should fire {code}"
    tree = dom(tmp_path, page, f"#rule={code}")
    shown = visible(tree)
    assert len(shown) == len(expected)
    assert {row.get("data-rule") for row in shown} == {code}
    assert len(rows(tree)) == len(report.issues)  # the others are hidden, not gone
    assert tree.xpath('//select[@id="rule-filter"]/option[@selected]/@value') in ([code], [])
    assert f"{len(expected)} of {len(report.issues)} issues shown" in tree.text_content()


def test_search_by_child_id_from_the_address(tmp_path, page):
    report = problems_report()
    tree = dom(tmp_path, page, "#child=qx7echo")
    shown = visible(tree)
    assert shown and len(shown) == sum(i.child is not None and i.child.la_child_id == "QX7ECHO"
                                       for i in report.issues)
    assert {row.get("data-child") for row in shown} == {"QX7ECHO"}


def png_pixels(data: bytes):
    """A tiny PNG decoder (8-bit RGB/RGBA, no interlace): width, height, rows of bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    out = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        out.append(bytes(line))
        previous = line
    return width, height, bpp, out


def test_screenshot_is_not_blank(tmp_path, page):
    shot = tmp_path / "shot.png"
    chromium(tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=900,700",
             "--hide-scrollbars")
    width, height, bpp, lines = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 700)
    colours = Counter()
    for line in lines[::4]:
        for x in range(0, width * bpp, bpp * 4):
            colours[line[x:x + 3]] += 1
    assert len(colours) > 10, "the screenshot is (nearly) one colour"
    top = lines[10][:3]  # the navy header band
    assert top[2] > top[0] and top[0] < 80, top
    assert colours.most_common(1)[0][1] < 0.9 * sum(colours.values())


def test_several_files_one_page_with_a_file_column(tmp_path):
    other = tmp_path / "copy.xml"
    other.write_bytes(PROBLEMS.read_bytes())
    out = tmp_path / "all.html"
    run(PROBLEMS, other, "--output", out, "--jobs", "1")
    tree = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    assert len(rows(tree)) == 2 * len(problems_report().issues)
    assert tree.xpath('//table[@id="issues"]/thead/tr/th[1]')[0].text_content() == "File"
    assert str(other) in tree.text_content()
