package score

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scensim/results"
)

// loadTestdata reads the hand-made results v1 and v2 of testdata and their
// resolutions.
func loadTestdata(t *testing.T) ([]Scored, *Resolutions) {
	t.Helper()
	var in []Scored
	for _, v := range []string{"v1", "v2"} {
		path := filepath.Join("testdata", v, "result.json")
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := results.ReadJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, Scored{Path: path, Result: r})
	}
	file := filepath.Join("testdata", "resolutions.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	res, errs := ParseResolutions(file, data, Outcomes(in))
	if len(errs) > 0 {
		t.Fatal(errs.Snippets())
	}
	return in, res
}

// The hand-made results score as computed by hand.
//
// v1 forecasts hits/20 of the six resolved outcomes: talks_open 16/20 = 0.8
// (yes), summit_held 0.8 (yes), sanctions_lifted 0.3 (no), aid_cut 0.35
// (yes), offensive 0.2 (no), truce_given_talks 2/10 = 0.2 (given yes; no):
// the forecasts of TestHandExample, whose hand computation applies.
//
// v2: 0.9 yes, 0.7 yes, 0.1 no, 0.5 yes, 0.25 no, 0.1 no. Brier terms 0.01,
// 0.09, 0.01, 0.25, 0.0625, 0.01: sum 0.4325, Brier 0.4325/6. Every bin
// holds equal forecasts (bin 1 holds 0.1 twice, both no), so the residual is
// 0; each bin has ō_k = o, so reliability = Brier = 0.4325/6; resolution =
// Σ n_k (ō_k − 0.5)² / 6 = 6·0.25/6 = 0.25; uncertainty 0.25.
//
// Base rate (0.6 for talks_open from the file, 0.3 for the rest): 0.6 yes,
// 0.3 yes, 0.3 no, 0.3 yes, 0.3 no, 0.3 no. Brier terms 0.16, 0.49, 0.09,
// 0.49, 0.09, 0.09: 1.41/6 = 0.235. Bins: 6 holds 0.6 (yes): rel 0.16, res
// 0.25; 3 holds five 0.3 with ō_3 = 2/5: rel 5·0.01 = 0.05, res 5·0.01 =
// 0.05. Reliability 0.21/6 = 0.035, resolution 0.30/6 = 0.05, uncertainty
// 0.25, residual 0: 0.035 − 0.05 + 0.25 = 0.235.
//
// 50%: Brier 0.25, log ln 2, reliability 0 (f̄ = ō = 0.5), resolution 0.
func TestBuildHandMade(t *testing.T) {
	in, res := loadTestdata(t)
	base := 0.3
	rep, err := Build(in, res, Options{BaseRate: &base})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Forecasters) != 4 {
		t.Fatalf("%d forecasters, want R1, R2, 50%%, base rate", len(rep.Forecasters))
	}
	ln := math.Log
	type want struct {
		brier, log, rel, res, unc, resid float64
	}
	wants := []want{
		{0.6725 / 6, (-4*ln(0.8) - ln(0.7) - ln(0.35)) / 6, 0.22125 / 6, 1.0 / 6, 0.25, -0.04875 / 6},
		{0.4325 / 6, -(3*ln(0.9) + ln(0.7) + ln(0.5) + ln(0.75)) / 6, 0.4325 / 6, 0.25, 0.25, 0},
		{0.25, math.Ln2, 0, 0, 0.25, 0},
		{0.235, -(ln(0.6) + 2*ln(0.3) + 3*ln(0.7)) / 6, 0.035, 0.05, 0.25, 0},
	}
	for i, w := range wants {
		f := rep.Forecasters[i]
		if f.Overall.N != 6 {
			t.Errorf("%s scored %d outcomes, want 6", f.ID, f.Overall.N)
		}
		near(t, f.ID+" Brier", f.Overall.Brier, w.brier)
		near(t, f.ID+" log", f.Log, w.log)
		near(t, f.ID+" reliability", f.Overall.Reliability, w.rel)
		near(t, f.ID+" resolution", f.Overall.Resolution, w.res)
		near(t, f.ID+" uncertainty", f.Overall.Uncertainty, w.unc)
		near(t, f.ID+" residual", f.Overall.Residual, w.resid)
	}
	scored, open, cf := rep.Counts()
	if scored != 6 || open != 1 || cf != 1 {
		t.Errorf("counts: %d scored, %d open, %d condition false; want 6, 1, 1", scored, open, cf)
	}
	// Per outcome: aid_cut (yes) at 0.35 by R1: Brier 0.65², log −ln 0.35.
	for _, row := range rep.Rows {
		if row.Resolution.Outcome == "aid_cut" {
			near(t, "aid_cut R1 Brier", row.Cells[0].Brier, 0.4225)
			near(t, "aid_cut R1 log", row.Cells[0].Log, -ln(0.35))
		}
		if row.Resolution.Outcome == "deal_given_summit" && !math.IsNaN(row.Cells[0].Brier) {
			t.Error("deal_given_summit (condition false) was scored")
		}
	}
}

func TestBuildBaseRateMissing(t *testing.T) {
	in, res := loadTestdata(t)
	// base_rates: gives talks_open only; without a base rate for the rest
	// the reference cannot be scored.
	if _, err := Build(in, res, Options{}); err == nil || !strings.Contains(err.Error(), "no base rate for summit_held") {
		t.Errorf("err = %v, want no base rate for summit_held", err)
	}
	res.BaseRates = map[string]float64{}
	rep, err := Build(in, res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Forecasters) != 3 {
		t.Errorf("%d forecasters, want R1, R2, 50%% (no base rates given)", len(rep.Forecasters))
	}
}

func TestRenderings(t *testing.T) {
	in, res := loadTestdata(t)
	base := 0.3
	rep, err := Build(in, res, Options{BaseRate: &base})
	if err != nil {
		t.Fatal(err)
	}
	var text, md, js, cs bytes.Buffer
	for f, b := range map[string]*bytes.Buffer{"text": &text, "markdown": &md, "json": &js, "csv": &cs} {
		if err := rep.Write(b, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"0.112083", "0.383179", "0.036875", "0.166667", "-0.008125", "0.072083", "0.235000", "0.693147", "election_called", "condition false"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	var doc struct {
		Format      string
		Forecasters []struct {
			ID    string
			Brier *float64
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != Format || len(doc.Forecasters) != 4 || doc.Forecasters[0].Brier == nil || math.Abs(*doc.Forecasters[0].Brier-0.6725/6) > tol {
		t.Errorf("JSON: %+v", doc)
	}
	// 8 outcomes × 4 forecasters + 4 overall rows + the header.
	if n := strings.Count(cs.String(), "\n"); n != 8*4+4+1 {
		t.Errorf("CSV has %d lines, want %d", n, 8*4+4+1)
	}
	if err := rep.Write(&text, "yaml"); err == nil {
		t.Error("unknown rendering: no error")
	}
	for _, f := range []string{"png", "svg"} {
		b, err := rep.ReliabilityChart(f)
		if err != nil || len(b) < 1000 {
			t.Errorf("%s chart: %d bytes, %v", f, len(b), err)
		}
	}
}

func TestReliabilityPoints(t *testing.T) {
	in, res := loadTestdata(t)
	base := 0.3
	rep, err := Build(in, res, Options{BaseRate: &base})
	if err != nil {
		t.Fatal(err)
	}
	// R1: bins 2 (0.2, 0.2: both no), 3 (0.3 no, 0.35 yes), 8 (0.8, 0.8: both yes).
	xys, counts := reliabilityPoints(rep.Forecasters[0])
	want := [][3]float64{{0.2, 0, 2}, {0.325, 0.5, 2}, {0.8, 1, 2}}
	if len(xys) != len(want) {
		t.Fatalf("%d points, want %d", len(xys), len(want))
	}
	for i, w := range want {
		near(t, "x", xys[i].X, w[0])
		near(t, "y", xys[i].Y, w[1])
		if counts[i] != int(w[2]) {
			t.Errorf("point %d: count %d, want %v", i, counts[i], w[2])
		}
	}
	if !(pointRadius(1, 4) < pointRadius(2, 4) && pointRadius(2, 4) < pointRadius(4, 4)) {
		t.Error("point radius does not grow with the count")
	}
}

// A result without one of the outcomes scores the others; the references
// score all, and the text says the overall scores cover different sets.
func TestBuildResultMissingOutcome(t *testing.T) {
	in, res := loadTestdata(t)
	r := *in[1].Result
	r.Layout.Outcomes = r.Layout.Outcomes[1:] // drop talks_open
	r.Outcomes = r.Outcomes[1:]
	in[1].Result = &r
	base := 0.3
	rep, err := Build(in, res, Options{BaseRate: &base})
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Forecasters[1].Overall.N; n != 5 {
		t.Errorf("R2 scored %d outcomes, want 5", n)
	}
	// R2 without talks_open (0.9, yes: 0.01): (0.4325 − 0.01)/5.
	near(t, "R2 Brier", rep.Forecasters[1].Overall.Brier, 0.4225/5)
	if n := rep.Forecasters[2].Overall.N; n != 6 {
		t.Errorf("50%% scored %d outcomes, want 6", n)
	}
	var b bytes.Buffer
	if err := rep.Write(&b, "text"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "R2 has forecasts for 5 of the 6 resolved outcomes") {
		t.Errorf("no note on R2's outcome set:\n%s", b.String())
	}
}
