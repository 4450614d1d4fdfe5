package report

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"
	"slices"
	"strings"
)

//go:embed report.css
var baseCSS string

//go:embed sort.js
var sortJS string

// htmlView is the data of the HTML template.
type htmlView struct {
	*Report
	CSS         template.CSS
	JS          template.JS
	Jobs        []*jobView
	Comparisons []*cmpView
	ManifestJob *table
	ManifestCmp *table
	Footnote    string
	Summary     *summaryView
	AsOf        string
}

// Ranged reports whether an outcome table has a range column.
func (htmlView) Ranged(t *table) bool { return slices.Contains(t.Head, rangeHead) }

// HypList lists the hypothesis IDs of a hypotheses table.
func (htmlView) HypList(t *table) string {
	var ids []string
	for _, row := range t.Rows {
		ids = append(ids, row[0].Text)
	}
	return strings.Join(ids, ", ")
}

var funcs = template.FuncMap{
	"svg":      func(b []byte) template.HTML { return template.HTML(b) }, // drawn by scensim's own charts, fonts taken out
	"title":    chartTitle,
	"rowClass": rowClass,
	"right":    func(t *table, i int) bool { return i < len(t.Right) && t.Right[i] },
}

func rowClass(t *table, r int) string {
	if r < len(t.RowCls) {
		return t.RowCls[r]
	}
	return ""
}

var page = template.Must(template.New("report").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
{{.CSS}}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{- with .AsOf}}
<p class="as-of">Information as of <strong>{{.}}</strong>.</p>
{{- end}}
<p class="generated">Generated {{.Generated}}.</p>
</header>
<main>
{{- with .Summary}}
<section id="summary">
<h2>Summary</h2>
{{- with .Fallback}}
<p class="note">{{.}}</p>
{{- end}}
<div class="scroll"><table id="summary-headline" class="sortable summary">
<thead><tr><th>headline outcome</th>{{range .Jobs}}<th class="num">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Outcomes}}
<tr><td><code>{{.Outcome}}</code>{{with .Condition}}<br><small>among trials where <code>{{.}}</code></small>{{end}}</td>
{{- range .Cells}}<td class="num">{{if .Missing}}—{{else if .Hidden}}{{.Hidden}}{{else}}<span class="v"><strong>{{.P}}</strong> <span class="err">{{.Err}}</span></span>{{with .Range}}<br><small>range {{.}}</small>{{end}}{{with .GivenPct}}<br><small>among the {{.}} where given</small>{{end}}{{end}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table></div>
<p class="note">{{.Legend}}</p>
{{- if .Drivers}}
<h3>Top drivers</h3>
<ul>
{{- range .Drivers}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Changes}}
<h3>Largest material changes</h3>
<p class="note">Per variant, the outcomes whose paired difference from the reference has a 95% interval wholly beyond {{with .Rule}}{{.}}{{else}}the comparison's min_diff{{end}}, largest first, as compare lists them.</p>
<ul class="changes">
{{- range .Changes}}
<li><strong>{{.Variant}}</strong> vs {{.Reference}}{{with .Rule}} (beyond {{.}}){{end}}: {{range $i, $x := .Items}}{{if $i}}; {{end}}{{$x}}{{end}}{{if .More}}; and {{.More}} more{{end}}</li>
{{- end}}
</ul>
{{- else}}{{with .NoChanges}}
<p>{{.}}</p>
{{- end}}{{end}}
<p class="note">Full tables follow: open a section's tables to see every outcome.</p>
</section>
{{- end}}
<div id="contents">
<p>Every probability is shown as <em>P [95% interval] n</em>: the Monte Carlo estimate in percent, its 95% simulation-error interval (Wilson score for independent trials; from the variance between parameter draws for a nested run) and the number of trials it is a share of (for a conditional outcome, the trials where its <em>given</em> held). Click a column header to sort a table. The manifest at the bottom names the scenario files (with their SHA-256), seeds, trial counts and tool version, with a command that reproduces each figure.</p>
<nav>
<ul>
{{- range .Jobs}}
<li><a href="#job-{{.ID}}">{{.Name}}</a>{{with .Title}} — {{.}}{{end}}</li>
{{- end}}
{{- range .Comparisons}}
<li><a href="#cmp-{{.ID}}">comparison {{.Name}}</a></li>
{{- end}}
{{- if .Failed}}
<li><a href="#failed">jobs without a result</a></li>
{{- end}}
<li><a href="#manifest">manifest</a></li>
</ul>
</nav>
</div>
{{- if .Failed}}
<section id="failed">
<h2>Jobs without a result</h2>
<table id="failed-jobs">
<thead><tr><th>job</th><th>status</th><th>error</th></tr></thead>
<tbody>
{{- range .Failed}}
<tr><td>{{.Name}}</td><td>{{.Status}}</td><td><code>{{.Error}}</code></td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
{{- with .Resolutions}}
<section id="resolutions">
<h2>Resolutions and running score</h2>
<p>Resolutions from <code>{{.File}}</code>.</p>
{{template "table" .Table}}
<p class="note">{{.Note}}</p>
</section>
{{- end}}
{{- range .Jobs}}
<section class="job" id="job-{{.ID}}">
<h2>{{.Name}}{{with .Title}} <small>{{.}}</small>{{end}}</h2>
<ul class="facts">
{{- range .Facts}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- range .Description}}
<p class="description">{{.}}</p>
{{- end}}
{{- if .Disabled}}
<p><strong>Switched off:</strong> {{.Disabled}}</p>
<ul>
{{- range .DisabledNote}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- with .Hypotheses}}
<details class="tables">
<summary>Hypotheses cited: {{$.HypList .}}</summary>
{{template "table" .}}
</details>
{{- end}}
{{- with .Evidence}}
<h3>Evidence: prior and posterior</h3>
{{template "table" .Items}}
<p class="note">{{.Summary}}</p>
{{- with .Posterior}}
{{template "table" .}}
<p class="note">Prior: the param's distribution over all trials run; posterior: over the trials the evidence kept. Quantiles come from each param's histogram (40 bins), interpolated within a bin.</p>
{{- end}}
{{- if .AsOf}}
<h4>{{.AsOfTitle}}</h4>
{{template "table" .AsOf}}
<p class="note">{{.AsOfNote}}</p>
{{- end}}
{{- end}}
{{- with .Outcomes}}
<details class="tables">
<summary>Outcomes: every outcome with its simulation error{{if $.Ranged .}} and its range over the assumptions{{end}}</summary>
{{template "table" .}}
<p class="note">Rows in <span class="cond-key">italics</span> are conditional outcomes: P(when | given), over the trials where the given held.</p>
</details>
{{- end}}
{{- with .Values}}
<h3>Value outcomes</h3>
{{template "table" .}}
<p class="note">Value outcomes are numbers per trial, summarised over the trials where they are defined; quantiles come from each outcome's histogram, within half a bin width of the exact sample quantile (~: outside its declared range).</p>
{{- end}}
<h3>Charts</h3>
<div class="charts">
{{- $id := .ID}}
{{- range .Charts}}
<figure id="chart-{{$id}}-{{.Name}}">
{{svg .SVG}}
<figcaption>{{title .Name}}</figcaption>
</figure>
{{- end}}
</div>
{{- with .Reached}}
<details class="tables">
<summary>Reached by: the share of all trials that entered each state on or before each date</summary>
{{template "table" .}}
</details>
{{- end}}
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
{{- with .FirstEntry}}
<details class="tables">
<summary>First entry: the share that ever entered each state, and quantiles of the first-entry date among them</summary>
{{template "table" .}}
</details>
{{- end}}
</section>
{{- end}}
{{- range .Comparisons}}
<section class="comparison" id="cmp-{{.ID}}">
<h2>Comparison {{.Name}}</h2>
<p>{{.C.Trials}} paired trials per scenario, seed {{.C.Seed}}, with common random numbers: trial <em>i</em> of every scenario draws the same numbers for params and tracks of the same name.</p>
<ul class="facts">
{{- range .Scenarios}}
<li>{{.}}</li>
{{- end}}
</ul>
<h3>Assumptions that differ</h3>
{{- with .Assumptions}}
{{template "table" .}}
{{- else}}
<p>None: the scenarios make the same assumptions.</p>
{{- end}}
{{- range .Disabled}}
<p class="note">{{.}}</p>
{{- end}}
<p><label class="toggle"><input type="checkbox" class="hide-unchanged"> hide the outcome rows whose difference is not significant</label></p>
{{- range .Pairs}}
<h3>{{.Title}}</h3>
{{template "table" .Outcomes}}
{{- if .Reached}}
<details class="tables">
<summary>{{.Note}}</summary>
{{template "table" .Reached}}
</details>
{{- else}}
<p class="note">{{.Note}}</p>
{{- end}}
{{- with .CRN}}
<p class="note">{{.}}</p>
{{- end}}
{{- end}}
<p class="note">{{$.Footnote}}</p>
<div class="charts">
{{- $id := .ID}}
{{- range .Charts}}
<figure id="chart-{{$id}}-{{.Name}}">
{{svg .SVG}}
<figcaption>{{title .Name}}</figcaption>
</figure>
{{- end}}
</div>
</section>
{{- end}}
<section id="manifest">
<h2>Manifest</h2>
<p>What reproduces every figure above: the scenario file (by path and SHA-256), the seed, the trial count and the overrides; the same seed and trials give the same counts on any machine and any number of workers.</p>
{{- with .ManifestJob}}
{{template "table" .}}
{{- end}}
{{- with .ManifestCmp}}
{{template "table" .}}
{{- end}}
</section>
</main>
<script>
{{.JS}}
</script>
</body>
</html>
{{define "table"}}<div class="scroll"><table class="sortable" id="{{.ID}}">
<thead><tr>{{range $i, $h := .Head}}<th{{if right $ $i}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- $t := .}}
{{- range $r, $row := .Rows}}
<tr{{with rowClass $t $r}} class="{{.}}"{{end}}>{{range $i, $c := $row}}<td{{if $c.Num}} data-v="{{$c.SortValue}}"{{end}}{{if or (right $t $i) $c.Cls}} class="{{if right $t $i}}num{{end}}{{if and (right $t $i) $c.Cls}} {{end}}{{$c.Cls}}"{{end}}>{{if $c.Code}}<code>{{$c.Text}}</code>{{else}}{{$c.Text}}{{end}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table></div>{{end}}
`))

// WriteHTML writes the report as one self-contained HTML page: inline CSS
// (with the charts' font embedded once), inline SVG charts, sortable
// tables (a few lines of inline script), no external resources. The output
// is a pure function of r; r.Generated is its only line that changes
// between runs (the line with class="generated").
func WriteHTML(w io.Writer, r *Report) error {
	v := htmlView{Report: r, JS: template.JS(sortJS), Footnote: diffFootnote}
	var css strings.Builder
	for _, f := range r.Fonts {
		css.WriteString(f)
		css.WriteString("\n")
	}
	css.WriteString(r.ChartCSS)
	css.WriteString(baseCSS)
	v.CSS = template.CSS(css.String())
	for _, j := range r.Jobs {
		v.Jobs = append(v.Jobs, viewJob(j))
	}
	for _, c := range r.Comparisons {
		v.Comparisons = append(v.Comparisons, viewComparison(r, c))
	}
	v.ManifestJob, v.ManifestCmp = manifestTables(r)
	v.Summary, v.AsOf = viewSummary(r), r.AsOfText()
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
