package results

import (
	"bytes"
	"strings"
	"testing"
)

// groupedResult is the fixture with its outcomes grouped, one headline
// outcome and questions.
func groupedResult(t *testing.T) *Result {
	t.Helper()
	l := fixtureLayout()
	l.Outcomes[0].OutcomeMeta = OutcomeMeta{Group: "agreement", Headline: true, Question: "Is there a ceasefire by the horizon?"}
	l.Outcomes[1].OutcomeMeta = OutcomeMeta{Group: "Europe", Question: "Is Europe divided at the horizon?"}
	l.Outcomes[2].OutcomeMeta = OutcomeMeta{Group: "agreement"}
	c := fixtureCounts(&l)
	r, err := NewResult(l, *c, fixtureManifest(), RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// lineIndex returns the index of the first line of s that starts with
// prefix (after leading spaces), or -1.
func lineIndex(s, prefix string) int {
	for i, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, " "), prefix) {
			return i
		}
	}
	return -1
}

func TestTextGroupsAndHeadline(t *testing.T) {
	r := groupedResult(t)
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	head, all := lineIndex(out, "Headline"), lineIndex(out, "All outcomes")
	if head < 0 || all < head {
		t.Fatalf("want a Headline table before All outcomes:\n%s", out)
	}
	// Headline table: the one headline outcome alone, under its group.
	headTable := strings.Join(strings.Split(out, "\n")[head:all], "\n")
	if !strings.Contains(headTable, "ceasefire ") || strings.Contains(headTable, "europe_divided") || strings.Contains(headTable, "divided_given_deal") {
		t.Errorf("headline table holds the wrong outcomes:\n%s", headTable)
	}
	// Full table: groups in order of first appearance, outcomes grouped.
	rest := strings.Join(strings.Split(out, "\n")[all:], "\n")
	order := []string{"[agreement]", "ceasefire ", "divided_given_deal", "[Europe]", "europe_divided"}
	last := -1
	for _, s := range order {
		i := strings.Index(rest, s)
		if i <= last {
			t.Fatalf("%q out of order in:\n%s", s, rest)
		}
		last = i
	}
	if strings.Contains(out, "Is there a ceasefire") {
		t.Error("questions shown without TextOptions.Questions")
	}
	b.Reset()
	if err := WriteTextWith(&b, r, TextOptions{Questions: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Is Europe divided at the horizon?") || !strings.Contains(b.String(), "question") {
		t.Errorf("--questions output lacks the questions:\n%s", b.String())
	}
}

func TestMarkdownGroupsAndQuestions(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, groupedResult(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"**Headline**", "**All outcomes**", "| **agreement** |", "| **Europe** |", "| question |", "Is there a ceasefire by the horizon?"} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "| **Europe** |") < strings.LastIndex(out, "`divided_given_deal`") {
		t.Errorf("group Europe comes before all of agreement's outcomes are listed:\n%s", out)
	}
}

// Without groups, headlines and questions the tables are as before.
func TestUngroupedUnchanged(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, fixtureResult(t)); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.Contains(out, "Headline") || strings.Contains(out, "[") && strings.Contains(out, "[other]") {
		t.Errorf("ungrouped result shows group or headline markup:\n%s", out)
	}
}

// result.json carries group, headline and question; a file without them
// (written before they existed) still reads.
func TestJSONOutcomeMeta(t *testing.T) {
	r := groupedResult(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"group": "agreement"`, `"headline": true`, `"question": "Is Europe divided at the horizon?"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("result.json lacks %s", want)
		}
	}
	back, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if o := back.Outcomes[0]; o.Group != "agreement" || !o.Headline || o.Question == "" {
		t.Errorf("read back %+v", o.OutcomeMeta)
	}
	if back.Layout.Outcomes[1].Group != "Europe" {
		t.Errorf("layout read back without its group")
	}

	b.Reset()
	if err := WriteJSON(&b, fixtureResult(t)); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, `"group"`) || strings.Contains(s, `"headline"`) || strings.Contains(s, `"internal"`) {
		t.Error("a result without the fields writes them")
	}
	if _, err := ReadJSON(&b); err != nil {
		t.Errorf("a result.json without group, headline, question: %v", err)
	}
}

// Internal dates have no column in the reached-by tables of the text and
// Markdown reports.
func TestInternalDatesNoColumn(t *testing.T) {
	l := fixtureLayout()
	l.NamedDates[0].Internal = true // end_of_march
	r, err := NewResult(l, *fixtureCounts(&l), fixtureManifest(), RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return WriteText(b, r) },
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "end_of_march") || !strings.Contains(b.String(), "summer") {
			t.Errorf("%s: want the summer column and no end_of_march column:\n%s", name, b.String())
		}
	}
}
