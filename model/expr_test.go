package model

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// exprScenario is a small scenario in daily steps around which the tests
// below compile one expression, as the effect of a transition of track
// talks on var mood (numbers) or angry (bools). Effects are neither
// range-checked nor restricted in what they read, so any expression fits.
//
// Names and indices:
//
//	dates:  d0 = 2025-01-11 = day 10, d1 = 2025-01-31 = day 30, d2 = d0 + 2w = day 24
//	params: k = 0.25 (0), half = k * 2 = 0.5 (1), s ~ uniform(0, 1) (2, sampled)
//	vars:   mood = 0.5 (0), angry = false (1)
//	states: talks.open 0, talks.deal 1, talks.broken 2, war.hot 3, war.cold 4
const exprScenario = `scensim: 1
name: expr
time:
  start: 2025-01-01
  step: day
  steps: 60
dates:
  d0: 2025-01-11
  d1: 2025-01-31
  d2: d0 + 2w
params:
  k: 0.25
  half: k * 2
  s:
    value: 0.3
    dist: uniform(0, 1)
vars:
  mood: 0.5
  angry: false
tracks:
  talks:
    initial: open
    states: [open, deal, broken]
    transitions:
      - from: open
        to: open
        p: 0.1
        set:
          %s: %s
  war:
    initial: hot
    states: [hot, cold]
`

// yamlQuote quotes s as a YAML single-quoted scalar.
func yamlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// compileEffect compiles src as the effect on mood, or on angry if boolean.
func compileEffect(t *testing.T, src string, boolean bool) (*Plan, *Expr) {
	t.Helper()
	v := "mood"
	if boolean {
		v = "angry"
	}
	p, errs := Compile("expr.yaml", []byte(fmt.Sprintf(exprScenario, v, yamlQuote(src))), nil)
	if p == nil {
		t.Fatalf("%s: %s", src, errs.Snippets())
	}
	return p, p.Transitions[0].Effects[0].Value
}

// testFrame is the frame the evaluation tests use: step 5 (day 5),
// s drawn as 0.3, mood 0.5, angry false, talks in deal for 2 steps
// (entered at point 3), war in cold for 7 steps (entered at point 12, which
// is later than step 5, but Eval does not care), talks.broken never entered.
func testFrame(p *Plan) *Frame {
	f := &Frame{
		Step:  5,
		Slots: make([]float64, p.Kernel.Slots()),
		Vars:  []float64{0.5, 0},
		State: []int32{1, 4},
		Since: []int32{3, -2}, // dwell = Step − Since: 2 and 7
		Entry: []int32{0, 3, -1, 0, 12},
	}
	f.Slots[0], f.Slots[1], f.Slots[2] = 0.25, 0.5, 0.3
	p.Kernel.FillSlots(f)
	return f
}

func near(got, want float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

// TestEval evaluates every operator and function of the expression reference (docs/scenario-format.md) on
// testFrame. Each expected value is worked out by hand in its comment.
func TestEval(t *testing.T) {
	num := []struct {
		src  string
		want float64
	}{
		{"1 + 2 * 3", 7},
		{"10 - 4 - 3", 3}, // left-associative
		{"7 / 2", 3.5},
		{"7 % 3", 1},
		{"-7 % 3", -1}, // sign of the dividend, as math.Mod
		{"2 ** 10", 1024},
		{"2 ^ 3", 8},
		{"-mood", -0.5},
		{"+mood", 0.5},
		{"mood * 4 + dwell", 4},                  // 0.5·4 + 2 (dwell of talks, the transition's track)
		{"dwell(war)", 7},                        //
		{"dwell(talks) + dwell", 4},              // 2 + 2
		{"k + half", 0.75},                       // 0.25 + 0.5
		{"s * 2 + k", 0.85},                      // 0.3·2 + 0.25
		{"step", 5},                              //
		{"date", 5},                              // daily steps: day 5
		{"d0", 10},                               // 2025-01-11 − 2025-01-01
		{"d2", 24},                               // d0 + 14 days
		{"until(d1)", 25},                        // 30 − 5
		{"since(d0)", -5},                        // 5 − 10
		{"ramp(d0, d1)", 0},                      // before d0
		{"weeks(2)", 14},                         //
		{"days(3)", 3},                           //
		{"months(2)", 60.875},                    // 2 · 365.25/12
		{"min(mood, 0.2, 0.7)", 0.2},             //
		{"max(mood, 0.2, 0.7)", 0.7},             //
		{"min(3)", 3},                            //
		{"clamp(mood * 10, 0, 3)", 3},            // 5 limited to 3
		{"clamp(-mood, 0, 3)", 0},                // −0.5 limited to 0
		{"clamp(mood, 0, 3)", 0.5},               //
		{"logistic(0)", 0.5},                     // 1/(1+e⁰)
		{"logistic(mood)", 0.6224593312018546},   // 1/(1+e^−0.5) = 0.62245933120185456464
		{"logit(0.8)", 1.3862943611198906},       // log(0.8/0.2) = log 4 = 1.38629436111989061883
		{"logit(0.5)", 0},                        // log 1
		{"logit(logistic(mood * 3))", 1.5},       // inverse functions
		{"abs(-mood)", 0.5},                      //
		{"exp(1)", 2.718281828459045},            // e = 2.71828182845904523536
		{"log(10)", 2.302585092994046},           // ln 10 = 2.30258509299404568402
		{"sqrt(2)", 1.4142135623730951},          // √2 = 1.41421356237309504880
		{"floor(2.7)", 2},                        //
		{"floor(-2.5)", -3},                      //
		{"ceil(2.1)", 3},                         //
		{"round(2.5)", 3},                        // half away from zero
		{"round(-2.5)", -3},                      //
		{"entry(war.cold)", 12},                  // point 12 is day 12 with daily steps
		{"entry(talks.deal)", 3},                 //
		{"entry(talks.open)", 0},                 //
		{"entry(talks.broken)", math.Inf(1)},     // never entered
		{"let x = mood * 2; x + 1", 2},           //
		{"let a = 1; let b = a + 1; a + b", 3},   //
		{"if angry { 1 } else { 2 }", 2},         // angry is false
		{"talks.deal ? 3 : 4", 3},                //
		{"war.hot ? 3 : 4", 4},                   //
		{"talks.open ? 1 : war.cold ? 2 : 3", 2}, // right-associative
		{"dwell * ramp(d0, d1) + mood", 0.5},     // ramp is 0 at day 5
		// A slot or a table with a closure, read inline for +, − and *.
		{"s * (mood + 1)", 0.45},                            // 0.3 · 1.5
		{"(mood + 1) * s", 0.45},                            //
		{"s + (mood + 1)", 1.8},                             //
		{"s - (mood + 1)", -1.2},                            //
		{"(mood + 1) - s", 1.2},                             //
		{"s / (mood + 1)", 0.2},                             // not inline: 0.3 / 1.5
		{"(mood + 1) / s", 5},                               //
		{"date - (mood + 1)", 3.5},                          // 5 − 1.5
		{"(mood + 1) - date", -3.5},                         //
		{"(mood + 1) / date", 0.3},                          //
		{"date - entry(war.cold)", -7},                      // 5 − 12
		{"s ** (mood * 2)", 0.3},                            // 0.3¹
		{"1 - exp(-(s * (mood + 1)))", 0.36237184837822667}, // 1 − e^−0.45 = 0.362371848378226…
		{"1 - exp(-mood)", 0.39346934028736658},             // 1 − e^−0.5 = 0.393469340287366…
		// A var or a slot with a constant, read inline.
		{"mood - 0.2", 0.3},
		{"2 - mood", 1.5},
		{"mood / 4", 0.125},
		{"0.5 + mood", 1},
		{"s - 0.1", 0.2},
		{"1 - s", 0.7},
		{"s / 2", 0.15},
		{"3 * s", 0.9},
		{"s + 1", 1.3},
		{"1 * (mood + s)", 0.8}, // the factor 1 is dropped
		{"2 * 1 * mood", 1},     //
	}
	for _, c := range num {
		p, x := compileEffect(t, c.src, false)
		if x.Type != TypeNum {
			t.Errorf("%s: type %v, want number", c.src, x.Type)
		}
		if got := x.Eval(testFrame(p)); !near(got, c.want) {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
	boolean := []struct {
		src  string
		want float64
	}{
		{"talks.deal", 1},
		{"talks.open", 0},
		{"!talks.open", 1},
		{`talks == "deal"`, 1},
		{`talks != "deal"`, 0},
		{`"deal" == talks`, 1},
		{`talks in ["open", "broken"]`, 0},
		{`war in ["hot", "cold"]`, 1},
		{"reached(war.cold)", 1},        // entry 12 ≥ 0
		{"reached(talks.broken)", 0},    // entry −1
		{"reached_by(war.cold, d0)", 0}, // entered on day 12, after day 10
		{"reached_by(talks.deal, d0)", 1},
		{"reached_by(war.cold, d1)", 1},     // day 12 ≤ day 30
		{"reached_by(war.cold, 12)", 1},     // on the day counts
		{"reached_by(war.cold, 11.5)", 0},   //
		{"reached_by(talks.broken, d1)", 0}, // never
		{"mood > 0.4 && !angry", 1},         //
		{"mood > 0.4 and not angry", 1},     //
		{"angry || talks.open", 0},          //
		{"angry or war.cold", 1},            //
		{"mood < 0.5", 0},                   //
		{"mood <= 0.5", 1},                  //
		{"mood > 0.5", 0},                   //
		{"mood >= 0.5", 1},                  //
		{"mood == 0.5", 1},                  //
		{"mood != 0.5", 0},                  //
		{"angry == false", 1},               //
		{"angry != talks.deal", 1},          // false ≠ true
		{"dwell >= 2 && dwell(war) > 6", 1}, //
		{"date < d0", 1},                    // day 5 < day 10
		{"step >= 5 && step < 6", 1},        //
		{"if mood > 0 { true } else { false }", 1},
		{"talks.deal ? angry : true", 0},
		{"let late = date > d0; late || talks.deal", 1},
		{"s < mood + 1", 1},     // 0.3 < 1.5
		{"date > mood * 20", 0}, // 5 > 10
		{"mood * 20 >= date", 1},
	}
	for _, c := range boolean {
		p, x := compileEffect(t, c.src, true)
		if x.Type != TypeBool {
			t.Errorf("%s: type %v, want bool", c.src, x.Type)
		}
		if got := x.Eval(testFrame(p)); got != c.want {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
}

// TestModes checks how expressions are compiled: constants are folded,
// time-only expressions become tables, sampled-param-only ones slots, and
// only state-dependent ones closures.
func TestModes(t *testing.T) {
	consts := []struct {
		src  string
		want float64
	}{
		{"1 + 2 * k", 1.5},     // k = 0.25 is a fixed param
		{"half", 0.5},          // a param defined from another
		{"weeks(2) + d0", 24},  // 14 + 10
		{"logistic(0) * 4", 2}, //
		{"max(k, half) - min(k, half)", 0.25},
		{"let x = k * 4; x * x", 1}, //
		{"d1 - d0 > 19 ? 1 : 0", 1}, // 20 > 19
		{"clamp(10, 0, 1)", 1},      //
	}
	for _, c := range consts {
		_, x := compileEffect(t, c.src, false)
		if x.Mode != ModeConst || x.Dep != 0 || x.Const != c.want {
			t.Errorf("%s: mode %d dep %v const %v; want ModeConst %v", c.src, x.Mode, x.Dep, x.Const, c.want)
		}
		if v, ok := x.IsConst(); !ok || v != c.want {
			t.Errorf("%s: IsConst() = %v, %v", c.src, v, ok)
		}
	}

	// ramp(d0, d1) with d0 = day 10 and d1 = day 30, daily steps:
	// (day − 10) / 20 limited to [0, 1].
	tables := []struct {
		src  string
		want map[int]float64 // step → value
	}{
		{"ramp(d0, d1)", map[int]float64{0: 0, 9: 0, 10: 0, 15: 0.25, 20: 0.5, 25: 0.75, 30: 1, 45: 1, 60: 1}},
		{"ramp(d1, d0)", map[int]float64{0: 1, 10: 1, 20: 0.5, 30: 0, 60: 0}}, // (day − 30)/(−20), falling
		{"step * k", map[int]float64{0: 0, 1: 0.25, 4: 1, 60: 15}},
		{"until(d1)", map[int]float64{0: 30, 30: 0, 60: -30}},
		{"since(d2) / 7", map[int]float64{24: 0, 38: 2, 3: -3}},
		{"date >= d0 ? k : half", map[int]float64{9: 0.5, 10: 0.25, 60: 0.25}},
	}
	for _, c := range tables {
		p, x := compileEffect(t, c.src, false)
		if x.Mode != ModeTable || x.Dep != DepTime {
			t.Errorf("%s: mode %d dep %v; want ModeTable, time", c.src, x.Mode, x.Dep)
			continue
		}
		if len(x.Table) != p.Steps+1 {
			t.Errorf("%s: table of %d entries, want %d", c.src, len(x.Table), p.Steps+1)
		}
		for k, want := range c.want {
			if got := x.Table[k]; got != want {
				t.Errorf("%s at step %d = %v, want %v", c.src, k, got, want)
			}
			f := testFrame(p)
			f.Step = k
			if got := x.Eval(f); got != want {
				t.Errorf("%s: Eval at step %d = %v, want %v", c.src, k, got, want)
			}
		}
	}

	slots := []struct {
		src  string
		want float64 // with s = 0.3
	}{
		{"s", 0.3},
		{"s * 2 + k", 0.85},
		{"logistic(s) > 0.5 ? s : 0", 0.3}, // logistic(0.3) > 0.5
	}
	for _, c := range slots {
		p, x := compileEffect(t, c.src, false)
		if x.Mode != ModeSlot || x.Dep != DepTrial {
			t.Errorf("%s: mode %d dep %v; want ModeSlot, trial", c.src, x.Mode, x.Dep)
			continue
		}
		if x.Slot >= p.Kernel.Slots() {
			t.Errorf("%s: slot %d out of range", c.src, x.Slot)
		}
		if got := x.Eval(testFrame(p)); !near(got, c.want) {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
	if _, x := compileEffect(t, "s", false); x.Slot != 2 {
		t.Errorf("s: slot %d, want 2 (the param's own slot)", x.Slot)
	}

	funcs := []struct {
		src string
		dep Dep
	}{
		{"mood + dwell", DepState},
		{"mood * ramp(d0, d1)", DepState | DepTime},
		{"s * step", DepTime | DepTrial},
		{"entry(war.cold) < d1 ? s : k", DepState | DepTrial},
		{"reached_by(war.cold, date)", DepState | DepTime},
	}
	for _, c := range funcs {
		_, x := compileEffect(t, c.src, strings.HasPrefix(c.src, "reached"))
		if x.Mode != ModeFunc || x.Dep != c.dep || x.Fn == nil {
			t.Errorf("%s: mode %d dep %v; want ModeFunc, %v", c.src, x.Mode, x.Dep, c.dep)
		}
	}
}

// TestHoisting checks that a closure reads hoisted tables and slots right:
// s·step + mood·ramp(d0, d1) at step 20 is 0.3·20 + 0.5·0.5 = 6.25.
func TestHoisting(t *testing.T) {
	p, x := compileEffect(t, "s * step + mood * ramp(d0, d1)", false)
	f := testFrame(p)
	f.Step = 20
	if got := x.Eval(f); !near(got, 6.25) {
		t.Errorf("got %v, want 6.25", got)
	}
	f.Slots[2] = 0.5 // another trial's draw of s; slots are refilled per trial
	p.Kernel.FillSlots(f)
	if got := x.Eval(f); !near(got, 10.25) { // 0.5·20 + 0.25
		t.Errorf("after redraw: got %v, want 10.25", got)
	}
}

const rateScenario = `scensim: 1
name: rates
time:
  start: 2025-01-01
  step: %s
  steps: 12
  rate_unit: %s
params:
  s:
    value: 0.3
    dist: uniform(0, 1)
tracks:
  talks:
    initial: open
    states: [open, deal]
    transitions:
      - from: open
        to: deal
        rate: %s
%s`

func compileRate(t *testing.T, step, unit, rate, per string) *Plan {
	t.Helper()
	if per != "" {
		per = "        per: " + per + "\n"
	}
	p, errs := Compile("rates.yaml", []byte(fmt.Sprintf(rateScenario, step, unit, rate, per)), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	return p
}

// TestRates checks that rate r per unit becomes 1 − exp(−r·Δt) per step,
// with Δt the step's length in that unit.
func TestRates(t *testing.T) {
	// 0.5 per week, daily steps: Δt = 1/7, 1 − exp(−0.5/7) = 0.06893722029597723399.
	p := compileRate(t, "day", "week", "0.5", "")
	x := p.Transitions[0]
	if x.Prob.Mode != ModeConst || !near(x.Prob.Const, 0.06893722029597723) {
		t.Errorf("0.5/week, daily: mode %d, p = %v; want const 0.068937220295977234", x.Prob.Mode, x.Prob.Const)
	}
	if x.Rate == nil || x.Rate.Const != 0.5 || x.Per != "week" {
		t.Errorf("Rate %v, Per %q; want the rate as written and its unit", x.Rate, x.Per)
	}

	// 0.3 per month, monthly steps from 2025-01-01: a month is 365.25/12 =
	// 30.4375 days, so Δt is 31/30.4375 in January and 28/30.4375 in
	// February: 1 − exp(−0.3·31/30.4375) = 0.26327762059309446482 and
	// 1 − exp(−0.3·28/30.4375) = 0.24116837135917758152.
	p = compileRate(t, "month", "month", "0.3", "")
	x = p.Transitions[0]
	if x.Prob.Mode != ModeTable {
		t.Fatalf("0.3/month, monthly: mode %d, want ModeTable (months differ)", x.Prob.Mode)
	}
	if got := x.Prob.Table[0]; !near(got, 0.26327762059309446) {
		t.Errorf("January: p = %v, want 0.263277620593094465", got)
	}
	if got := x.Prob.Table[1]; !near(got, 0.24116837135917758) {
		t.Errorf("February: p = %v, want 0.241168371359177582", got)
	}

	// per: year overrides rate_unit: 2 per year, weekly steps:
	// 1 − exp(−2·7/365.25) = 0.03760461633125828097.
	p = compileRate(t, "week", "day", "2", "year")
	if x = p.Transitions[0]; x.Per != "year" || !near(x.Prob.Const, 0.03760461633125828) {
		t.Errorf("2/year, weekly: per %q, p = %v; want year, 0.037604616331258281", x.Per, x.Prob.Const)
	}

	// A sampled rate: s per week with daily steps is a per-trial value,
	// with s = 0.3: 1 − exp(−0.3/7) = 0.04195175567360254595.
	p = compileRate(t, "day", "week", "s", "")
	x = p.Transitions[0]
	if x.Prob.Mode != ModeSlot {
		t.Fatalf("sampled rate: mode %d, want ModeSlot", x.Prob.Mode)
	}
	f := &Frame{Slots: make([]float64, p.Kernel.Slots())}
	f.Slots[0] = 0.3
	p.Kernel.FillSlots(f)
	if got := x.Prob.Eval(f); !near(got, 0.041951755673602546) {
		t.Errorf("sampled rate: p = %v, want 0.041951755673602546", got)
	}

	// A rate that depends on the step: 0.1·step per day, daily steps:
	// 1 − exp(−0.1·k); at step 10, 1 − e⁻¹ = 0.63212055882855767840.
	p = compileRate(t, "day", "day", "0.1 * step", "")
	if x = p.Transitions[0]; x.Prob.Mode != ModeTable || x.Prob.Table[0] != 0 || !near(x.Prob.Table[10], 0.6321205588285577) {
		t.Errorf("0.1·step/day: mode %d, table %v", x.Prob.Mode, x.Prob.Table)
	}
}

// TestTime checks the points of the time axis.
func TestTime(t *testing.T) {
	cases := []struct {
		time  string
		steps int
		last  string  // date of the last point
		day   float64 // its day
	}{
		// 2025-03-19 + 52 weeks = 2026-03-18, the horizon itself.
		{"start: 2025-03-19\n  step: week\n  horizon: 2026-03-18", 52, "2026-03-18", 364},
		// One day short of the 52nd week: 51 whole steps and a last one of
		// 6 days that ends at the horizon.
		{"start: 2025-03-19\n  step: week\n  horizon: 2026-03-17", 52, "2026-03-17", 363},
		// Monthly: 1 Jan ... 1 Dec, then a last step of 30 days to the horizon.
		{"start: 2025-01-01\n  step: month\n  horizon: 2025-12-31", 12, "2025-12-31", 364},
		// Quarterly and yearly steps follow the end-of-month convention.
		{"start: 2024-11-30\n  step: quarter\n  steps: 4", 4, "2025-11-30", 365},
		{"start: 2025-01-01\n  step: quarter\n  horizon: 2025-07-01", 2, "2025-07-01", 181},
		{"start: 2024-02-29\n  step: year\n  steps: 4", 4, "2028-02-29", 1461},
		{"start: 2025-01-01\n  step: year\n  horizon: 2027-03-01", 3, "2027-03-01", 789},
		{"start: 2025-01-01\n  step: day\n  steps: 365", 365, "2026-01-01", 365},
		// 20000 monthly steps reach 3691-09-01 (1666 years and 8 months on);
		// such spans overflow time.Duration (292 years), which must not matter.
		{"start: 2025-01-01\n  step: month\n  steps: 20000", 20000, "3691-09-01", float64(civilDays(3691, 9, 1) - civilDays(2025, 1, 1))},
	}
	for _, c := range cases {
		src := "scensim: 1\nname: t\ntime:\n  " + c.time + "\ntracks:\n  a:\n    initial: x\n    states: [x]\n"
		p, errs := Compile("t.yaml", []byte(src), nil)
		if p == nil {
			t.Errorf("%s: %s", c.time, errs.Snippets())
			continue
		}
		if p.Steps != c.steps || p.Points[p.Steps].Format("2006-01-02") != c.last || p.PointDay[p.Steps] != c.day {
			t.Errorf("%q: %d steps, last point %s = day %v; want %d, %s, %v", c.time, p.Steps,
				p.Points[p.Steps].Format("2006-01-02"), p.PointDay[p.Steps], c.steps, c.last, c.day)
		}
	}
}

// TestDates checks named dates, offsets and far dates.
func TestDates(t *testing.T) {
	src := `scensim: 1
name: t
time:
  start: 2025-01-01
  step: week
  steps: 10
dates:
  a: 2025-01-15
  b: a + 2w
  c: b - 3d
  d: start + 1m
  e: a + 1y
  far: 9999-12-31
  before: 2024-12-31
tracks:
  x:
    initial: s
    states: [s]
`
	p, errs := Compile("t.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	want := map[string]struct {
		date  string
		day   float64
		point int
	}{
		// Points are days 0, 7, 14, 21, 25, 28, 31, 35, ..., 70: the
		// weekly steps that straddle c (day 25) and d (day 31) are split.
		"a":      {"2025-01-15", 14, 2},
		"b":      {"2025-01-29", 28, 5},
		"c":      {"2025-01-26", 25, 4},
		"d":      {"2025-02-01", 31, 6},   // start + 1 month
		"e":      {"2026-01-15", 379, 12}, // 365 + 14; past the last point, day 70
		"before": {"2024-12-31", -1, -1},  // before the start: no point
		// 7975 years on, far beyond time.Duration's 292 years.
		"far": {"9999-12-31", float64(civilDays(9999, 12, 31) - civilDays(2025, 1, 1)), 12},
	}
	for _, d := range p.Dates {
		w, ok := want[d.Name]
		if !ok {
			t.Errorf("unexpected date %s", d.Name)
			continue
		}
		if got := d.Date.Format("2006-01-02"); got != w.date || d.Day != w.day || d.Point != w.point {
			t.Errorf("%s = %s, day %v, point %d; want %s, day %v, point %d", d.Name, got, d.Day, d.Point, w.date, w.day, w.point)
		}
	}
}

// civilDays counts days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's days_from_civil), independently of package time.
func civilDays(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
