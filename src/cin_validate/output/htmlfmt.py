"""One self-contained HTML page: nothing is fetched, no external asset, no network.

Header facts, a summary, a bar chart of issues by rule (inline SVG), a table of every issue
that can be filtered by rule and searched by child ID (a few lines of inline JavaScript), and
the return-level notes, each with a copy button. A Content-Security-Policy allows nothing but
the page's own inline style and script. The filter can be set from the address: `#rule=8670Q`,
`#child=C001`, or both (`#rule=S02&child=C0`); `?rule=...` works too.

Several files make one page: a table of files first, then each file's facts, summary, chart
and notes, and one table of issues with a File column.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Iterator, Sequence, TextIO

from .. import catalogue, policy, years
from ..dates import CensusPeriod
from ..report import Report, census_heading
from ..version import __version__
from .plain import visible

SEVERITY_LABEL = {"error": "Error", "query": "Query", "notice": "Notice"}
CHART_ROWS = 30  # rules drawn in the chart; the rest are summed in one "other rules" bar


def _e(text) -> str:
    """Any text, values from the return or a path included, as HTML that shows exactly it."""
    return html.escape(visible("" if text is None else str(text)), quote=True)


CSS = """
:root { --ink:#101828; --muted:#475467; --line:#e4e7ec; --bg:#f5f7fa; --card:#fff;
  --navy:#1f3a5f; --error:#b42318; --error-bg:#fef3f2; --query:#b54708; --query-bg:#fffaeb;
  --notice:#175cd3; --notice-bg:#eff8ff; --pass:#067647; --pass-bg:#ecfdf3; }
* { box-sizing:border-box; }
body { margin:0; font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
  sans-serif; color:var(--ink); background:var(--bg); }
header.top { background:var(--navy); color:#fff; padding:20px 32px 18px; }
header.top .brand { font-size:12px; letter-spacing:.08em; text-transform:uppercase; opacity:.75; }
header.top h1 { margin:4px 0 2px; font-size:22px; font-weight:600; }
header.top p { margin:0; font-size:13px; opacity:.8; }
main { max-width:1200px; margin:0 auto; padding:24px 32px 48px; }
section.card { background:var(--card); border:1px solid var(--line); border-radius:10px;
  padding:20px 24px; margin:0 0 20px; box-shadow:0 1px 2px rgba(16,24,40,.05); }
h2 { font-size:17px; margin:0 0 14px; display:flex; align-items:center; gap:12px; flex-wrap:wrap; }
h2 .file { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:15px;
  word-break:break-all; }
h3 { font-size:14px; margin:18px 0 8px; color:var(--muted); text-transform:uppercase;
  letter-spacing:.04em; }
.verdict { font-size:12px; font-weight:700; padding:3px 10px; border-radius:999px;
  text-transform:uppercase; letter-spacing:.05em; }
.verdict.pass { background:var(--pass-bg); color:var(--pass); }
.verdict.pass.unverified, .verdict.not-failed { background:#fffaeb; color:#b54708; }
.ruleset { font-size:12px; font-weight:600; padding:3px 10px; border-radius:999px; }
.ruleset.verified { background:#f2f4f7; color:#344054; }
.ruleset.provisional, .ruleset.preview { background:#fffaeb; color:#b54708;
  border:1px solid #fec84b; }
p.yearnote { background:#fffaeb; border:1px solid #fec84b; border-radius:8px; padding:8px 12px; }
.verdict.fail, .verdict.unreadable, .verdict.internal { background:var(--error-bg); color:var(--error); }
.grid { display:grid; grid-template-columns:minmax(260px,1fr) 2fr; gap:24px; align-items:start; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 16px; margin:0; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; font-weight:500; }
.cards { display:grid; grid-template-columns:repeat(4,1fr); gap:12px; }
.stat { border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.stat .n { font-size:26px; font-weight:700; line-height:1.1; }
.stat .l { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.stat.error .n { color:var(--error); } .stat.query .n { color:var(--query); }
.stat.notice .n { color:var(--notice); } .stat.zero .n { color:var(--pass); }
.policy { margin:10px 0 0; color:var(--muted); font-size:13px; }
figure.chart { margin:0; }
figure.chart svg { max-width:100%; height:auto; display:block; }
figure.chart figcaption { color:var(--muted); font-size:12px; margin-top:6px; }
svg .bar:hover rect.b { opacity:.8; }
svg text { font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif; fill:var(--ink); }
svg text.code { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-weight:600; }
.notes .note { display:flex; gap:12px; align-items:flex-start; border:1px solid var(--line);
  border-left:4px solid var(--query); border-radius:6px; padding:10px 12px; margin:0 0 8px;
  background:#fcfcfd; }
.notes .note p { margin:0; flex:1; }
button.copy { font:inherit; font-size:12px; padding:4px 12px; border:1px solid #d0d5dd;
  border-radius:6px; background:#fff; color:var(--ink); cursor:pointer; white-space:nowrap; }
button.copy:hover { background:#f2f4f7; } button.copy.done { color:var(--pass); border-color:var(--pass); }
.hint { color:var(--muted); font-size:13px; margin:6px 0 0; }
.filters { display:flex; gap:16px; align-items:flex-end; flex-wrap:wrap; margin:0 0 12px; }
.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted);
  text-transform:uppercase; letter-spacing:.04em; gap:4px; }
.filters select, .filters input { font:inherit; font-size:14px; padding:6px 10px; min-width:220px;
  border:1px solid #d0d5dd; border-radius:6px; background:#fff; color:var(--ink); }
#shown { margin-left:auto; color:var(--muted); }
.tablewrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
thead th { background:#f9fafb; font-size:12px; text-transform:uppercase; letter-spacing:.04em;
  color:var(--muted); position:sticky; top:0; }
td.code, td.mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:13px; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
td.msg { color:var(--muted); min-width:340px; }
td.fields { font-size:13px; max-width:260px; }
td.vals span, td.child { white-space:nowrap; }
tbody tr:hover { background:#f9fafb; }
.sev { display:inline-block; font-size:11px; font-weight:700; padding:1px 8px; border-radius:999px;
  text-transform:uppercase; letter-spacing:.04em; }
.sev.error { background:var(--error-bg); color:var(--error); }
.sev.query { background:var(--query-bg); color:var(--query); }
.sev.notice { background:var(--notice-bg); color:var(--notice); }
.empty { color:var(--muted); font-style:italic; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:0 0 32px; }
@media (max-width:860px) { .grid { grid-template-columns:1fr; } .cards { grid-template-columns:repeat(2,1fr); } }
@media print { .filters, button.copy { display:none; } tr[hidden] { display:table-row; }
  body { background:#fff; } section.card { box-shadow:none; } }
"""

SCRIPT = """
(function () {
  var select = document.getElementById("rule-filter");
  var search = document.getElementById("child-search");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#issues tbody tr[data-rule]"));
  var none = document.getElementById("no-match");
  var rule = "";
  function apply() {
    var child = search.value.trim().toLowerCase(), count = 0;
    rows.forEach(function (row) {
      var ok = (!rule || row.getAttribute("data-rule") === rule) &&
               (!child || row.getAttribute("data-child").toLowerCase().indexOf(child) !== -1);
      row.hidden = !ok;
      if (ok) { count++; }
    });
    shown.textContent = count.toLocaleString() + " of " + rows.length.toLocaleString() + " issues shown";
    if (none) { none.hidden = count !== 0 || rows.length === 0; }
  }
  function fromAddress() {
    var text = location.hash.replace(/^#/, "") || location.search.replace(/^\\?/, "");
    var params = new URLSearchParams(text);
    rule = (params.get("rule") || "").trim();
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === rule; });
    if (!known && rule) {
      var option = document.createElement("option");
      option.value = option.textContent = rule;
      select.appendChild(option);
    }
    select.value = rule;
    search.value = params.get("child") || "";
    apply();
  }
  function toAddress() {
    var params = new URLSearchParams();
    if (rule) { params.set("rule", rule); }
    if (search.value.trim()) { params.set("child", search.value.trim()); }
    var text = params.toString();
    history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
  }
  select.addEventListener("change", function () { rule = select.value; apply(); toAddress(); });
  search.addEventListener("input", function () { apply(); toAddress(); });
  window.addEventListener("hashchange", fromAddress);
  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    button.addEventListener("click", function () {
      var text = button.parentNode.querySelector("p").textContent;
      function done() {
        button.textContent = "Copied"; button.classList.add("done");
        setTimeout(function () { button.textContent = "Copy"; button.classList.remove("done"); }, 1500);
      }
      function fallback() {
        var area = document.createElement("textarea");
        area.value = text; document.body.appendChild(area); area.select();
        try { document.execCommand("copy"); done(); } finally { document.body.removeChild(area); }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else { fallback(); }
    });
  });
  fromAddress();
})();
"""


def _facts(report: Report) -> str:
    header = report.header
    la_name = report.collection.codeset("la-codes").get(header.lea or "", "")
    period = CensusPeriod(report.reference_date)
    written = header.reference_date_text or "(absent)"
    effective = report.reference_date.isoformat()
    reference = written if written == effective else f"{written} (rules used {effective})"
    rows = [("Local authority", " ".join(p for p in (header.lea or "(absent)", la_name) if p)),
            ("Collection", f"{header.collection or '?'} {header.year or ''}".strip()),
            ("Rule set", report.rule_set_text),
            ("Reference date", reference),
            ("Census period", f"{period.start.isoformat()} to {period.end.isoformat()}"),
            ("Children", f"{report.children:,}"), ("Episodes", f"{report.episodes:,}"),
            ("Rules checked", f"{len(report.rules_checked)} of {report.rules_total}")]
    return '<dl class="facts">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def _cards(report: Report) -> str:
    cards = [("error", report.errors, "Errors"), ("query", report.queries, "Queries"),
             ("notice", report.notices, "Structural notices"),
             ("rules", len(report.issues.tally()), "Rules fired")]
    parts = []
    for kind, count, label in cards:
        style = kind if count else "zero"
        parts.append(f'<div class="stat {style}"><div class="n">{count:,}</div>'
                     f'<div class="l">{_e(label)}</div></div>')
    return '<div class="cards">' + "".join(parts) + "</div>"


def chart(by_rule: list[tuple[str, str, str, int]]) -> str:
    """Horizontal bars, one per rule, longest first; each bar links to `#rule=CODE`."""
    if not by_rule:
        return '<p class="empty">No issues: nothing to chart.</p>'
    rows = sorted(by_rule, key=lambda row: -row[3])
    if len(rows) > CHART_ROWS:
        rest = rows[CHART_ROWS - 1:]
        rows = rows[: CHART_ROWS - 1] + [("other", "other", f"{len(rest)} other rules",
                                          sum(r[3] for r in rest))]
    top = max(row[3] for row in rows)
    label_w, count_w, width, row_h = 64, 64, 760, 24
    bar_w = width - label_w - count_w
    height = row_h * len(rows) + 8
    colours = {"error": "#d92d20", "query": "#f79009", "notice": "#2e90fa", "other": "#98a2b3"}
    parts = [f'<svg viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Issues by rule">']
    for index, (code, severity, message, count) in enumerate(rows):
        y = 4 + index * row_h
        length = max(2.0, bar_w * count / top)
        title = f"{code} ({severity}): {count:,} — {message}"
        body = (f'<title>{_e(title)}</title>'
                f'<text class="code" x="0" y="{y + 16}">{_e(code)}</text>'
                f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" rx="3" '
                f'fill="#f2f4f7"/>'
                f'<rect class="b" x="{label_w}" y="{y + 3}" width="{length:.1f}" '
                f'height="{row_h - 6}" rx="3" fill="{colours.get(severity, "#98a2b3")}"/>'
                f'<text x="{label_w + bar_w + 8}" y="{y + 16}">{count:,}</text>')
        if code == "other":
            parts.append(f'<g class="bar">{body}</g>')
        else:
            parts.append(f'<a class="bar" href="#rule={_e(code)}">{body}</a>')
    parts.append("</svg>")
    legend = " · ".join(f'<span style="color:{colours[s]}">■</span> {label}'
                        for s, label in (("error", "error"), ("query", "query"),
                                         ("notice", "structural notice")))
    return ('<h3>Issues by rule</h3><figure class="chart">' + "".join(parts)
            + f"<figcaption>Issues by rule. {legend}. Click a bar to list its issues."
            "</figcaption></figure>")


def _notes(report: Report) -> str:
    if not report.notes:
        return ""
    items = "".join(f'<div class="note"><p>{_e(note)}</p>'
                    f'<button class="copy" type="button">Copy</button></div>'
                    for note in report.notes)
    return ('<div class="notes"><h3>Return-level notes to paste into COLLECT (auto-OK)</h3>'
            + items + '<p class="hint">Paste a note only after checking every record its query '
            "names.</p></div>")


def _verdict_badge(verdict: str, report: Report | None = None) -> str:
    """The verdict, and beside it the rule set's year and status: a pass against provisional or
    preview rules is drawn in amber, never like a verified pass."""
    css = {"internal error": "internal", policy.NOT_FAILED: "not-failed"}.get(verdict,
                                                                              verdict or "pass")
    if report is None:
        return f'<span class="verdict {_e(css)}">{_e(verdict or "")}</span>'
    collection = report.collection
    if not collection.is_verified:
        css += " unverified"
    return (f'<span class="verdict {_e(css)}">{_e(verdict or "")}</span>'
            f'<span class="ruleset {_e(collection.status)}" title="{_e(collection.status_note)}">'
            f"{_e(collection.year)} rules: {_e(collection.status)}</span>")


def _year_note(report: Report) -> str:
    return f'<p class="yearnote">{_e(report.year_note)}</p>' if report.year_note else ""


def _baseline_note(report: Report) -> str:
    return f'<p class="yearnote">{_e(report.baseline.text)}</p>' if report.baseline else ""


def _file_section(result, fail_on: str) -> str:
    report = result.report
    if report is None:
        return (f'<section class="card"><h2><span class="file">{_e(result.path)}</span>'
                f"{_verdict_badge(result.verdict)}</h2><p>{_e(result.error)}</p></section>")
    policy_text = policy.FAIL_ON_POLICIES[fail_on].rule
    return (f'<section class="card"><h2><span class="file">{_e(report.file)}</span>'
            f"{_verdict_badge(policy.shown_verdict(result.verdict, report, fail_on), report)}"
            f"</h2>{_year_note(report)}{_baseline_note(report)}"
            f'<div class="grid"><div>{_facts(report)}</div><div>{_cards(report)}'
            f'<p class="policy">{_e(policy_text)} (--fail-on {_e(fail_on)}); structural notices '
            f"never do.</p></div></div>"
            f"{chart(report.by_rule())}{_notes(report)}</section>")


def _overview(results: Sequence, fail_on: str) -> str:
    rows = []
    for result in results:
        report = result.report
        shown = policy.shown_verdict(result.verdict, report, fail_on)
        cells = ([report.la or "", report.collection.label(), f"{report.children:,}",
                  f"{report.errors:,}", f"{report.queries:,}"] if report else [""] * 5)
        rows.append(f'<tr><td class="mono">{_e(result.path)}</td><td>{_e(cells[0])}</td>'
                    f"<td>{_e(cells[1])}</td>"
                    + "".join(f'<td class="num">{_e(c)}</td>' for c in cells[2:])
                    + f"<td>{_verdict_badge(shown, report)}</td></tr>")
    return ('<section class="card"><h2>Files</h2><div class="tablewrap"><table><thead><tr>'
            "<th>File</th><th>LA</th><th>Rule set</th><th>Children</th><th>Errors</th>"
            "<th>Queries</th>"
            "<th>Verdict</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
            "</section>")


def _issue_row(issue, file: str | None) -> str:
    """One row of the issues table; `file` for the File column of several files."""
    child = issue.child.label if issue.child else ""
    written = [p.value for p in issue.places]
    values = ", ".join(f'<span>{_e("—" if v is None else v)}</span>' for v in written)
    if not any(written):
        values = ""
    detail = issue.detail_text
    message = issue.message + (f" ({detail})" if detail else "")
    return (f'<tr data-rule="{_e(issue.code)}" data-child="{_e(child)}">'
            + (f'<td class="mono">{_e(file)}</td>' if file is not None else "")
            + f'<td class="code">{_e(issue.code)}</td>'
            f'<td><span class="sev {_e(issue.severity)}">'
            f"{_e(SEVERITY_LABEL.get(issue.severity, issue.severity))}</span></td>"
            f'<td class="mono child">{_e(child or "(return)")}</td>'
            f"<td class=\"fields\">{_e(', '.join(issue.fields))}</td><td class=\"mono vals\">{values}</td>"
            f'<td class="num">{_e(issue.line or "")}</td><td class="msg">{_e(message)}</td>'
            "</tr>")


def _rule_options(reports: list[Report]) -> str:
    """The rule filter's choices: each rule that fired, with its count over every file."""
    codes: dict[str, tuple[str, int]] = {}
    for report in reports:
        for code, severity, _message, count in report.issues.tally():
            first, total = codes.get(code, (severity, 0))
            codes[code] = (first, total + count)
    order = {code: i for i, code in enumerate([*years.all_rules(),
                                              *catalogue.structural_rules()])}
    return "".join(f'<option value="{_e(code)}">{_e(code)} ({_e(severity)}, {count:,})</option>'
                   for code, (severity, count) in sorted(
                       codes.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _issues(results: Sequence) -> Iterator[str]:
    """The issues table, a row at a time."""
    several = len(results) > 1
    reports = [result.report for result in results if result.report is not None]
    head = (("<th>File</th>" if several else "") + "<th>Code</th><th>Type</th><th>Child ID</th>"
            "<th>Fields</th><th>Values as written</th><th>Line</th><th>Message</th>")
    yield ('<section class="card"><h2>Issues</h2><div class="filters">'
           '<label>Rule <select id="rule-filter"><option value="">All rules</option>'
           f"{_rule_options(reports)}</select></label>"
           '<label>Child ID <input id="child-search" type="search" placeholder="Search child ID" '
           'autocomplete="off"></label><span id="shown"></span></div>'
           f'<div class="tablewrap"><table id="issues"><thead><tr>{head}</tr></thead><tbody>')
    for report in reports:
        for issue in report.issues:
            yield _issue_row(issue, report.file if several else None)
    columns = 8 if several else 7
    if any(report.issues for report in reports):
        yield (f'<tr id="no-match" hidden><td colspan="{columns}" class="empty">No issue matches '
               "the filter.</td></tr>")
    else:
        yield f'<tr><td colspan="{columns}" class="empty">No issues.</td></tr>'
    yield "</tbody></table></div></section>"


def render(out: TextIO, results: Sequence, *, fail_on: str = "error",
           redacted: bool = False) -> None:
    """The page, written as it is drawn: the facts and charts first, then the issues table a
    row at a time."""
    several = len(results) > 1
    title = (f"{len(results)} returns" if several
             else (results[0].report.file if results[0].report else results[0].path))
    generated = f"{datetime.now():%Y-%m-%d %H:%M}"
    privacy = (" Child IDs are pseudonyms and personal values are removed (--redact)."
               if redacted else " Contains child IDs and values as written: handle as personal data.")
    out.write(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>cin-validate: {_e(title)}</title><style>{CSS}</style></head><body>"
        '<header class="top"><div class="brand">cin-validate</div>'
        f"<h1>{_e(census_heading(r.report for r in results))}: validation report</h1>"
        f"<p>{_e(title)} · checked offline on {generated} with cin-validate {_e(__version__)}."
        f"{_e(privacy)}</p></header><main>")
    if several:
        out.write(_overview(results, fail_on))
    for result in results:
        out.write(_file_section(result, fail_on))
    for chunk in _issues(results):
        out.write(chunk)
    out.write("</main><footer>Generated offline by cin-validate. This page loads nothing from "
              f"any network.</footer><script>{SCRIPT}</script></body></html>\n")
