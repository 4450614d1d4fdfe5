package model

import (
	"math"
	"strings"
	"testing"
)

const valuesHead = `
scensim: 1
name: v
time: {start: 2025-01-01, step: month, steps: 12}
tracks:
  h:
    initial: well
    states: [well, sick]
    transitions:
      - {from: well, to: sick, p: 0.1}
outcomes:
  sick_ever: reached(h.sick)
`

func TestValueOutcomeBuild(t *testing.T) {
	src := valuesHead + `
  months_sick:
    accumulate: h.sick
    discount: 0.12
    half_cycle: true
    unit: months
  month_of_onset:
    value: entry(h.sick) / months(1)
    bins: 12
    range: [0, 12]
`
	p, errs := Compile("v.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	if len(p.Outcomes) != 1 || len(p.Values) != 2 {
		t.Fatalf("%d yes/no and %d value outcomes, want 1 and 2", len(p.Outcomes), len(p.Values))
	}
	acc, at := p.Values[0], p.Values[1]
	if acc.PerStep == nil || acc.At != nil || at.At == nil || at.PerStep != nil {
		t.Fatal("value: and accumulate: compiled into the wrong fields")
	}
	if acc.Unit != "months" || !acc.HalfCycle || acc.Discount != 0.12 {
		t.Errorf("accumulate outcome fields: %+v", acc)
	}
	// Trapezoid weights with monthly discounting: (1.12)^(−k/12), halved at
	// both ends.
	for k, w := range acc.Weight {
		want := math.Pow(1.12, -float64(k)/12)
		if k == 0 || k == p.Steps {
			want /= 2
		}
		if math.Abs(w-want) > 1e-15 {
			t.Errorf("weight %d = %v, want %v", k, w, want)
		}
	}
	if acc.Lo != 0 || math.Abs(acc.Hi-sum(acc.Weight)) > 1e-12 || acc.Bins != DefaultValueBins {
		t.Errorf("default range [%v, %v) with %d bins", acc.Lo, acc.Hi, acc.Bins)
	}
	if at.Bins != 12 || at.Lo != 0 || at.Hi != 12 {
		t.Errorf("declared range [%v, %v) with %d bins", at.Lo, at.Hi, at.Bins)
	}
	if KindValue.String() != "value" || KindProbability.String() != "probability" {
		t.Error("outcome kind names")
	}
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func TestValueOutcomeErrors(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"both", "  x:\n    value: 1\n    accumulate: 1\n", "give value: or accumulate:, not both"},
		{"when", "  x:\n    value: 1\n    when: h.sick\n", "a value outcome takes no when:"},
		{"discount_on_value", "  x:\n    value: 1\n    discount: 0.03\n", "discount: applies only to accumulate:"},
		{"bad_discount", "  x:\n    accumulate: 1\n    discount: 3%\n", "discount must be an annual rate"},
		{"bad_bins", "  x:\n    accumulate: 1\n    bins: 0\n", "bins must be a whole number"},
		{"bad_range", "  x:\n    accumulate: 1\n    range: [5, 1]\n", "range must be [lo, hi]"},
		{"not_a_number", "  x:\n    value: h.well and h.sick\n", "must be a number"},
		{"value_field_on_yes_no", "  x:\n    when: h.sick\n    unit: weeks\n", "unit: applies only to a value outcome"},
		{"neither", "  x:\n    why: nothing\n", `needs the key "when"`},
		{"half_cycle_not_bool", "  x:\n    accumulate: 1\n    half_cycle: yes please\n", "half_cycle must be true or false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, errs := Compile("v.yaml", []byte(valuesHead+c.body), nil)
			if p != nil {
				t.Fatal("compiled")
			}
			if !strings.Contains(errs.Error(), c.want) {
				t.Errorf("errors %q do not contain %q", errs.Error(), c.want)
			}
		})
	}
}

// On the calendar-exact grid a step split by a date weighs its share of a
// regular step, and points are discounted by their position in regular
// steps: 12 monthly steps split at 16 January (15 of January's 31 days)
// and cut short by a horizon on 11 December (10 of December's 31 days)
// still sum to 11 + 10/31 cycles; without discounting, a state held all
// along accumulates that, with and without the trapezoid rule.
func TestValueWeightsOnSplitSteps(t *testing.T) {
	src := strings.Replace(valuesHead, "steps: 12}", "horizon: 2025-12-11}\ndates:\n  mid_jan: 2025-01-16", 1) + `
  months_any:
    accumulate: h.well or h.sick
  months_any_hc:
    accumulate: h.well or h.sick
    half_cycle: true
  disc:
    accumulate: h.well or h.sick
    discount: 0.1
`
	p, errs := Compile("v.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	if p.Steps != 13 || len(p.Irregular) != 3 {
		t.Fatalf("%d steps, %d irregular; want 13 and 3 (January split, December cut)", p.Steps, len(p.Irregular))
	}
	cycles := 11 + 10.0/31
	for _, v := range p.Values[:2] {
		if s := sum(v.Weight); math.Abs(s-cycles) > 1e-12 {
			t.Errorf("%s: weights sum to %v, want %v", v.Name, s, cycles)
		}
	}
	// Point 1 is 16 January, 15/31 of the first month; its step to 1
	// February is the other 16/31.
	d := p.Values[2].Weight
	if want := math.Pow(1.1, -15.0/31/12) * 16 / 31; math.Abs(d[1]-want) > 1e-15 {
		t.Errorf("discounted weight of the 16 January point %v, want %v", d[1], want)
	}
	if want := math.Pow(1.1, -1.0/12); math.Abs(d[2]-want) > 1e-15 {
		t.Errorf("discounted weight of the 1 February point %v, want %v", d[2], want)
	}
}
