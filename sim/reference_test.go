package sim

// A hand-written Go reference of testdata/reference_model.yaml, a frozen
// copy of an earlier version of scenarios/baseline.yaml.
//
// refSim is the baseline model coded directly: constants for the states,
// one switch per track, float arithmetic for every probability and rate.
// It evaluates no expression. From the compiled plan it takes only what
// the brief allows: the params' values, keys and distributions (read into
// a plain struct once per trial), the named dates, the point dates and the
// tracks' random-stream keys. It draws from the same counter-based streams
// as the engine (rand.go), so a given (seed, trial) sees the same uniforms:
// the reference and the engine should agree trial by trial, and
// TestReferenceMatchesEngine checks and reports how closely they do.
//
// BenchmarkReferenceBaseline is the speed limit BenchmarkRunReferenceModel
// is measured against: same trials per op, same seed, one
// worker, the same RNG, and the same counts kept (occupancy, first entries,
// every outcome of the file). No allocation per trial, except inside the
// param samplers (model.Dist.Sample), which the engine calls as well.
//
// Arithmetic follows the file's expressions term by term, left to right, as
// the engine evaluates them, so that a probability is the same float64 in
// both; products added to something are wrapped in float64(...) so that no
// architecture fuses them into an FMA (the Go spec allows it otherwise).

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"scensim/model"
)

// Tracks of baseline.yaml, in file order.
const (
	refTalks = iota
	refMilitary
	refUSStance
	refEurope
	refLinkage
	refLevers
	refTerms
	refNTracks
)

var refTrackNames = [refNTracks]string{"talks", "military", "us_stance", "europe", "linkage", "levers", "terms"}

// States of baseline.yaml, track by track in file order: this is the plan's
// global state numbering (checked by newRefSim).
const (
	// talks
	refNegotiating = iota
	refPreliminary
	refCeasefire
	refStalled
	refCollapsed
	// military
	refHolding
	refLimitedOffensive
	refMobilised
	refMajorOffensive
	refDemobilising
	refNewConflict
	// us_stance
	refNeutral
	refPressingKyiv
	refPressingMoscow
	refAidRestricted
	// europe
	refWaiting
	refTableAirspace
	refTableGroundForce
	refChallenge
	// linkage
	refDormant
	refLinked
	refSanctionsRelief
	// levers
	refCampaign
	// terms
	refOpen
	refDemilitarisation
	refNoDemilitarisation
	refNStates
)

var refStateNames = [refNStates]string{
	"talks.negotiating", "talks.preliminary", "talks.ceasefire", "talks.stalled", "talks.collapsed",
	"military.holding", "military.limited_offensive", "military.mobilised", "military.major_offensive",
	"military.demobilising", "military.new_conflict",
	"us_stance.neutral", "us_stance.pressing_kyiv", "us_stance.pressing_moscow", "us_stance.aid_restricted",
	"europe.waiting", "europe.table_airspace", "europe.table_ground_force", "europe.challenge",
	"linkage.dormant", "linkage.linked", "linkage.sanctions_relief",
	"levers.campaign",
	"terms.open", "terms.demilitarisation", "terms.no_demilitarisation",
}

// refInitial is each track's initial state.
var refInitial = [refNTracks]int{refNegotiating, refHolding, refNeutral, refWaiting, refDormant, refCampaign, refOpen}

// refParams holds one trial's param values.
type refParams struct {
	snapCeasefireRate, prelimRate, ceasefireRate, summerDeadlineEffect, postDeadlineFactor, rearmPressure float64
	stallRate, afterDeadlineStrain, reviveRate, collapseRate                                              float64
	limitedOffensiveRate, offensiveCulminationRate, collapseWarMult, mobRateCollapse, mobRateStalled      float64
	majorOffensiveRate, newConflictGrowth                                                                 float64
	pressKyivRate, usImpatience, pressMoscowRate, tokenConcessionRate, kyivPressureEndRate                float64
	kyivPressureEffect, moscowPressureEffect, aidRestrictRate, aidCutEffect                               float64
	europeJoinRate, pGroundForce, groundForceVeto, challengeRate, linkageRate, linkageBoost               float64
	sanctionsReliefRate, cohesionInit, nuclearSignalRate, energyLeverRate, leverErosion, rallyRate        float64
	demilBase, demilDrift, demilAidCut, demilCohesion                                                     float64
}

// fields maps the file's param names to the struct's fields (setup only).
func (p *refParams) fields() map[string]*float64 {
	return map[string]*float64{
		"snap_ceasefire_rate": &p.snapCeasefireRate, "prelim_rate": &p.prelimRate, "ceasefire_rate": &p.ceasefireRate,
		"summer_deadline_effect": &p.summerDeadlineEffect, "post_deadline_factor": &p.postDeadlineFactor,
		"rearm_pressure": &p.rearmPressure, "stall_rate": &p.stallRate, "after_deadline_strain": &p.afterDeadlineStrain,
		"revive_rate": &p.reviveRate, "collapse_rate": &p.collapseRate, "limited_offensive_rate": &p.limitedOffensiveRate,
		"offensive_culmination_rate": &p.offensiveCulminationRate, "collapse_war_mult": &p.collapseWarMult,
		"mob_rate_collapse": &p.mobRateCollapse, "mob_rate_stalled": &p.mobRateStalled,
		"major_offensive_rate": &p.majorOffensiveRate, "new_conflict_growth": &p.newConflictGrowth,
		"press_kyiv_rate": &p.pressKyivRate, "us_impatience": &p.usImpatience, "press_moscow_rate": &p.pressMoscowRate,
		"token_concession_rate": &p.tokenConcessionRate, "kyiv_pressure_end_rate": &p.kyivPressureEndRate,
		"kyiv_pressure_effect": &p.kyivPressureEffect, "moscow_pressure_effect": &p.moscowPressureEffect,
		"aid_restrict_rate": &p.aidRestrictRate, "aid_cut_effect": &p.aidCutEffect, "europe_join_rate": &p.europeJoinRate,
		"p_ground_force": &p.pGroundForce, "ground_force_veto": &p.groundForceVeto, "challenge_rate": &p.challengeRate,
		"linkage_rate": &p.linkageRate, "linkage_boost": &p.linkageBoost, "sanctions_relief_rate": &p.sanctionsReliefRate,
		"cohesion_init": &p.cohesionInit, "nuclear_signal_rate": &p.nuclearSignalRate,
		"energy_lever_rate": &p.energyLeverRate, "lever_erosion": &p.leverErosion, "rally_rate": &p.rallyRate,
		"demil_base": &p.demilBase, "demil_drift": &p.demilDrift, "demil_aid_cut": &p.demilAidCut,
		"demil_cohesion": &p.demilCohesion,
	}
}

// refMaySample lists the params the reference reads per trial. Every other
// param goes into tables built once at setup, so it must be fixed.
var refMaySample = map[string]bool{
	"prelim_rate": true, "ceasefire_rate": true, "rearm_pressure": true, "mob_rate_collapse": true,
	"new_conflict_growth": true, "p_ground_force": true, "cohesion_init": true,
}

const (
	refPerDay = 1.0 / 7 // rate_unit: week, as a rate per day
	refWeek   = 7.0     // weeks(1), in days
	refYear   = 364.0   // weeks(52), in days
)

// refLone is the step probability of a rate alone out of its state:
// 1 − exp(−r·Δt), Δt the step in rate units.
func refLone(r, dtUnit float64) float64 { return 1 - math.Exp(-(r * dtUnit)) }

// refSkip reports whether u is certainly at or above the chance of
// leaving, given an upper bound of it: the sum of the rates times the step
// (1 − exp(−h) ≤ h), with the engine's margin for rounding (aboveBound).
// Then nothing fires and no exponential is computed.
func refSkip(u, bound float64) bool { return u >= bound*(1+1e-12)+1e-15 }

// refRace2 and refRace3 give the cumulative step probabilities of rates
// (per week) competing out of one state over a step of days days: with R
// their sum, one fires with chance 1 − exp(−R·Δt), shared in proportion. A
// transition whose guard is off is passed as rate 0.
func refRace2(a, b, days float64) (c1, c2 float64) {
	a, b = a*refPerDay, b*refPerDay
	s := 0.0
	if r := a + b; r > 0 {
		s = (1 - math.Exp(-r*days)) / r
	}
	c1 = a * s
	c2 = c1 + float64(b*s)
	return
}

func refRace3(a, b, c, days float64) (c1, c2, c3 float64) {
	a, b, c = a*refPerDay, b*refPerDay, c*refPerDay
	s := 0.0
	if r := a + b + c; r > 0 {
		s = (1 - math.Exp(-r*days)) / r
	}
	c1 = a * s
	c2 = c1 + float64(b*s)
	c3 = c2 + float64(c*s)
	return
}

// refTrial is the state of one trial.
type refTrial struct {
	state    [refNTracks]int    // per track: global state
	entry    [refNStates]int32  // per state: point of first entry, -1 if never
	cohesion float64            // the var cohesion
	given    uint64             // outcome i's given held: bit i
	hit      uint64             // outcome i's when and given held: bit i
	stream   [refNTracks]uint64 // per track: random stream of this trial
	next     [refNTracks]int    // scratch: states after the step
}

// refTally holds the counts of a run, laid out as the engine's Tally.
type refTally struct {
	trials    int64
	hits      [refNOut]int64
	given     [refNOut]int64
	entry     []int64 // [g*(P+1)+k]
	occupancy []int64 // [k*S+g]; run fills it from moves
	moves     []int64 // [k*S+g]: entries into g at point k minus exits
}

// refSim runs the baseline by hand.
type refSim struct {
	seed   uint64
	steps  int
	day    []float64 // per point: days since start (the file's `date`)
	days   float64   // every step's length in days
	dtUnit float64   // the step's length in rate units
	key    [refNTracks]uint64

	// named dates, in days since start
	summer, oneWeek, threeWeeks, endOfApril, summerMinus4w, summerPlus1w, summerPlus5w, sixMonthsLeft float64

	fixed   refParams // every param's point value
	pr      refParams // this trial's values
	sampled []refSampled
	src     source

	// Built at setup from fixed params: per step k ...
	agree      []float64       // the summer-deadline factor of the agreement hazard
	stall      []float64       // talks_stall rate
	stalledCum [][2][3]float64 // stalled: [k][reached(preliminary)] cumulative probabilities
	neutralCum [][2]float64    // us_stance neutral: press_kyiv, press_moscow
	demilTime  []float64       // demil_base + demil_drift·date/weeks(52)
	// ... and for states whose chances do not change.
	campaignCum     [3]float64 // levers: nuclear_signal, energy_lever, europe_rallies
	kyivCum         [2]float64 // pressing_kyiv: restrict_aid, kyiv_pressure_eases
	moscowP         float64    // pressing_moscow: token_concession
	tableChallengeP float64    // table_airspace, table_ground_force: challenge_ceasefire
	waitingChP      float64    // waiting: challenge_ceasefire (competing with the joins, which are off)
	linkP, reliefP  float64    // link_agendas, grant_sanctions_relief
	majorP          float64    // mobilised: launch_major_offensive
	// the agreement hazard's factors 1 + linkage_boost, 1 + kyiv_pressure_effect, ...
	linkF, kyivF, moscowF, aidF float64

	// Per war regime (0 talks going, 1 talks collapsed, 2 stalled past
	// summer); regime 1 reads a sampled param and is built once per trial.
	holdingCum [3][2]float64 // launch_limited_offensive, mobilise
	limitedCum [3][2]float64 // offensive_culminates, mobilise
	// Built once per trial.
	joinCum [2]float64 // waiting, talks preliminary: airspace, ground force

	t     refTrial
	tally refTally
}

type refSampled struct {
	dist *model.Dist
	key  uint64
	dst  *float64
}

// refModel is the scenario file the reference codes: a frozen copy of an
// earlier version of scenarios/baseline.yaml (8 of its tracks' mechanisms
// have since changed), kept so that the engine is checked and timed
// against a model coded by hand, whatever the shipped baseline becomes.
const refModel = "testdata/reference_model.yaml"

func refPlan(tb testing.TB) *model.Plan {
	data, err := os.ReadFile(refModel)
	if err != nil {
		tb.Fatal(err)
	}
	p, errs := model.Compile(refModel, data, nil)
	if p == nil {
		tb.Fatal(errs.Snippets())
	}
	return p
}

// newRefSim checks that p is the baseline the reference codes, and builds
// the tables.
func newRefSim(p *model.Plan, seed uint64) (*refSim, error) {
	s := &refSim{seed: seed, steps: p.Steps, day: p.PointDay}
	if len(p.Tracks) != refNTracks || len(p.States) != refNStates {
		return nil, fmt.Errorf("plan has %d tracks and %d states; the reference codes %d and %d", len(p.Tracks), len(p.States), refNTracks, refNStates)
	}
	for k, tr := range p.Tracks {
		if tr.Name != refTrackNames[k] || tr.Initial != refInitial[k] {
			return nil, fmt.Errorf("track %d is %s (initial %s); the reference codes %s", k, tr.Name, p.FullName(tr.Initial), refTrackNames[k])
		}
		s.key[k] = tr.Key
	}
	for g := range p.States {
		if p.FullName(g) != refStateNames[g] {
			return nil, fmt.Errorf("state %d is %s; the reference codes %s", g, p.FullName(g), refStateNames[g])
		}
	}
	if p.RateUnit != "week" {
		return nil, fmt.Errorf("rate unit %s; the reference codes week", p.RateUnit)
	}
	s.days = p.StepDays[0]
	for _, d := range p.StepDays {
		if d != s.days {
			return nil, fmt.Errorf("steps of unequal length; the reference codes equal steps")
		}
	}
	s.dtUnit = s.days / refWeek

	var runIn float64 // deadline_run_in, used in the setup tables only
	dates := map[string]float64{}
	for _, d := range p.Dates {
		dates[d.Name] = d.Day
	}
	for name, dst := range map[string]*float64{
		"summer": &s.summer, "one_week": &s.oneWeek, "three_weeks": &s.threeWeeks, "end_of_april": &s.endOfApril,
		"summer_minus_4w": &s.summerMinus4w, "summer_plus_1w": &s.summerPlus1w, "summer_plus_5w": &s.summerPlus5w,
		"six_months_left": &s.sixMonthsLeft, "deadline_run_in": &runIn,
	} {
		d, ok := dates[name]
		if !ok {
			return nil, fmt.Errorf("plan has no date %s", name)
		}
		*dst = d
	}

	fixed, trial := s.fixed.fields(), s.pr.fields()
	if len(p.Params) != len(fixed) {
		return nil, fmt.Errorf("plan has %d params; the reference codes %d", len(p.Params), len(fixed))
	}
	for _, par := range p.Params {
		f, ok := fixed[par.Name]
		if !ok {
			return nil, fmt.Errorf("plan has param %s, which the reference does not code", par.Name)
		}
		*f = par.Value
		if par.Dist != nil {
			if !refMaySample[par.Name] {
				return nil, fmt.Errorf("param %s is sampled; the reference builds tables from it, so it must be fixed", par.Name)
			}
			s.sampled = append(s.sampled, refSampled{par.Dist, par.Key, trial[par.Name]})
		}
	}

	// Tables of time and fixed params.
	f := &s.fixed
	s.agree = make([]float64, s.steps)
	s.stall = make([]float64, s.steps)
	s.stalledCum = make([][2][3]float64, s.steps)
	s.neutralCum = make([][2]float64, s.steps)
	s.demilTime = make([]float64, s.steps)
	for k := range s.steps {
		date := s.day[k]
		// date < summer ? 1 + summer_deadline_effect * ramp(deadline_run_in, summer) : post_deadline_factor
		if date < s.summer {
			ramp := math.Min(math.Max((date-runIn)/(s.summer-runIn), 0), 1)
			s.agree[k] = 1 + float64(f.summerDeadlineEffect*ramp)
		} else {
			s.agree[k] = f.postDeadlineFactor
		}
		// (date >= summer ? after_deadline_strain : 1), in talks_stall and talks_collapse
		strain := 1.0
		if date >= s.summer {
			strain = f.afterDeadlineStrain
		}
		s.stall[k] = f.stallRate * strain
		collapse := f.collapseRate * strain
		// stalled: talks_collapse, talks_revive (not reached(preliminary)), talks_revive_after_prelim (reached)
		c := &s.stalledCum[k]
		c[0][0], c[0][1], c[0][2] = refRace3(collapse, f.reviveRate, 0, s.days)
		c[1][0], c[1][1], c[1][2] = refRace3(collapse, 0, f.reviveRate, s.days)
		// neutral: press_kyiv_rate * (1 + us_impatience * date / weeks(52)), press_moscow_rate
		s.neutralCum[k][0], s.neutralCum[k][1] = refRace2(f.pressKyivRate*(1+f.usImpatience*date/refYear), f.pressMoscowRate, s.days)
		// demil_base + demil_drift * date / weeks(52)
		s.demilTime[k] = f.demilBase + f.demilDrift*date/refYear
	}
	// holding and limited_offensive, talks going (mobilise off) or stalled past summer
	// (mobilise at mob_rate_stalled); collapsed talks are set per trial.
	s.holdingCum[0][0], s.holdingCum[0][1] = refRace2(f.limitedOffensiveRate, 0, s.days)
	s.holdingCum[2][0], s.holdingCum[2][1] = refRace2(f.limitedOffensiveRate, f.mobRateStalled, s.days)
	s.limitedCum[0][0], s.limitedCum[0][1] = refRace2(f.offensiveCulminationRate, 0, s.days)
	s.limitedCum[2][0], s.limitedCum[2][1] = refRace2(f.offensiveCulminationRate, f.mobRateStalled, s.days)
	s.campaignCum[0], s.campaignCum[1], s.campaignCum[2] = refRace3(f.nuclearSignalRate, f.energyLeverRate, f.rallyRate, s.days)
	s.kyivCum[0], s.kyivCum[1] = refRace2(f.aidRestrictRate, f.kyivPressureEndRate, s.days)
	s.moscowP = refLone(f.tokenConcessionRate, s.dtUnit)
	s.tableChallengeP = refLone(f.challengeRate, s.dtUnit)
	_, _, s.waitingChP = refRace3(0, 0, f.challengeRate, s.days) // waiting has three rates: they compete
	s.linkP = refLone(f.linkageRate, s.dtUnit)
	s.reliefP = refLone(f.sanctionsReliefRate, s.dtUnit)
	s.majorP = refLone(f.majorOffensiveRate, s.dtUnit)
	s.linkF = 1 + f.linkageBoost
	s.kyivF = 1 + f.kyivPressureEffect
	s.moscowF = 1 + f.moscowPressureEffect
	s.aidF = 1 + f.aidCutEffect

	P := s.steps + 1
	s.tally.entry = make([]int64, refNStates*(P+1))
	s.tally.occupancy = make([]int64, P*refNStates)
	s.tally.moves = make([]int64, P*refNStates)
	return s, nil
}

// u is track k's uniform number at step.
func (s *refSim) u(k, step int) float64 { return uniform(s.t.stream[k], step) }

// reachedBy is reached_by(g, d) for a date d in days.
func (s *refSim) reachedBy(g int, d float64) bool {
	e := s.t.entry[g]
	return e >= 0 && s.day[e] <= d
}

// entryDay is entry(g): the day of the first entry, +Inf if never.
func (s *refSim) entryDay(g int) float64 {
	if e := s.t.entry[g]; e >= 0 {
		return s.day[e]
	}
	return math.Inf(1)
}

// agreement is the agreement hazard shared by preliminary_deal and
// comprehensive_ceasefire: base × summer deadline × rearmament × linkage ×
// US stance.
func (s *refSim) agreement(k int, base float64) float64 {
	t := &s.t
	r := base * s.agree[k] * (1 + s.pr.rearmPressure*s.day[k]/refYear)
	if l := t.state[refLinkage]; l == refLinked || l == refSanctionsRelief {
		r *= s.linkF
	}
	switch t.state[refUSStance] { // the three factors; at most one differs from 1
	case refPressingKyiv:
		r *= s.kyivF
	case refPressingMoscow:
		r *= s.moscowF
	case refAidRestricted:
		r *= s.aidF
	}
	return r
}

// talksStep returns the talks state after step k.
func (s *refSim) talksStep(k int) int {
	t := &s.t
	switch t.state[refTalks] {
	case refNegotiating:
		// snap_ceasefire, preliminary_deal, talks_stall: competing rates.
		a, b, c := s.pr.snapCeasefireRate, s.agreement(k, s.pr.prelimRate), s.stall[k]
		u := s.u(refTalks, k)
		if refSkip(u, (a+b+c)*s.dtUnit) {
			break
		}
		c1, c2, c3 := refRace3(a, b, c, s.days)
		switch {
		case u < c1:
			return refCeasefire
		case u < c2:
			return refPreliminary
		case u < c3:
			return refStalled
		}
	case refPreliminary:
		// comprehensive_ceasefire (when Europe is at the table), talks_stall.
		cf := 0.0
		if e := t.state[refEurope]; e == refTableAirspace || e == refTableGroundForce {
			cf = s.agreement(k, s.pr.ceasefireRate)
			if e == refTableGroundForce {
				cf *= s.pr.groundForceVeto
			}
		}
		u := s.u(refTalks, k)
		if refSkip(u, (cf+s.stall[k])*s.dtUnit) {
			break
		}
		c1, c2 := refRace2(cf, s.stall[k], s.days)
		switch {
		case u < c1:
			return refCeasefire
		case u < c2:
			return refStalled
		}
	case refStalled:
		// talks_collapse, talks_revive (no partial deal yet), talks_revive_after_prelim.
		c := &s.stalledCum[k][0]
		if t.entry[refPreliminary] >= 0 {
			c = &s.stalledCum[k][1]
		}
		switch u := s.u(refTalks, k); {
		case u < c[0]:
			return refCollapsed
		case u < c[1]:
			return refNegotiating
		case u < c[2]:
			return refPreliminary
		}
	}
	return t.state[refTalks] // ceasefire and collapsed have no way out
}

// warRegime says which of launch_limited_offensive's and mobilise's forms
// hold at step k: 0 talks going (mobilise off), 1 talks collapsed, 2 talks
// stalled past summer.
func (s *refSim) warRegime(k int) int {
	switch talks := s.t.state[refTalks]; {
	case talks == refCollapsed:
		return 1
	case talks == refStalled && s.day[k] >= s.summer:
		return 2
	}
	return 0
}

// militaryStep returns the military state after step k.
func (s *refSim) militaryStep(k int) int {
	t := &s.t
	m := t.state[refMilitary]
	ceasefire := t.state[refTalks] == refCeasefire
	switch m {
	case refHolding, refLimitedOffensive, refMobilised, refMajorOffensive:
		if ceasefire {
			return refDemobilising // stand_down: p = 1 (u < 1 always; no draw needed)
		}
	}
	switch m {
	case refHolding:
		// launch_limited_offensive, mobilise: competing rates.
		c := &s.holdingCum[s.warRegime(k)]
		switch u := s.u(refMilitary, k); {
		case u < c[0]:
			return refLimitedOffensive
		case u < c[1]:
			return refMobilised
		}
	case refLimitedOffensive:
		// offensive_culminates, mobilise: competing rates.
		c := &s.limitedCum[s.warRegime(k)]
		switch u := s.u(refMilitary, k); {
		case u < c[0]:
			return refHolding
		case u < c[1]:
			return refMobilised
		}
	case refMobilised:
		// launch_major_offensive: a lone rate.
		if s.u(refMilitary, k) < s.majorP {
			return refMajorOffensive
		}
	case refDemobilising:
		// open_new_conflict: new_conflict_growth * (date - entry(military.demobilising)) / weeks(1)
		r := s.pr.newConflictGrowth * (s.day[k] - s.day[t.entry[refDemobilising]]) / refWeek
		if u := s.u(refMilitary, k); !refSkip(u, r*s.dtUnit) && u < refLone(r, s.dtUnit) {
			return refNewConflict
		}
	}
	return m
}

// usStep returns the us_stance state after step k.
func (s *refSim) usStep(k int) int {
	t := &s.t
	switch t.state[refUSStance] {
	case refNeutral:
		// press_kyiv, press_moscow: competing rates, both off during a ceasefire.
		if t.state[refTalks] == refCeasefire {
			break
		}
		c := &s.neutralCum[k]
		switch u := s.u(refUSStance, k); {
		case u < c[0]:
			return refPressingKyiv
		case u < c[1]:
			return refPressingMoscow
		}
	case refPressingKyiv:
		// restrict_aid, kyiv_pressure_eases: competing rates.
		switch u := s.u(refUSStance, k); {
		case u < s.kyivCum[0]:
			return refAidRestricted
		case u < s.kyivCum[1]:
			return refNeutral
		}
	case refPressingMoscow:
		// token_concession: a lone rate.
		if s.u(refUSStance, k) < s.moscowP {
			return refNeutral
		}
	}
	return t.state[refUSStance]
}

// europeStep returns the europe state after step k.
func (s *refSim) europeStep(k int) int {
	t := &s.t
	e := t.state[refEurope]
	switch talks := t.state[refTalks]; e {
	case refWaiting:
		// join_with_airspace_plan, join_with_ground_force_plan (talks
		// preliminary), challenge_ceasefire (talks ceasefire): competing rates.
		switch talks {
		case refPreliminary:
			switch u := s.u(refEurope, k); {
			case u < s.joinCum[0]:
				return refTableAirspace
			case u < s.joinCum[1]:
				return refTableGroundForce
			}
		case refCeasefire:
			if s.u(refEurope, k) < s.waitingChP {
				return refChallenge
			}
		}
	case refTableAirspace, refTableGroundForce:
		// challenge_ceasefire: a lone rate, during a ceasefire.
		if talks == refCeasefire && s.u(refEurope, k) < s.tableChallengeP {
			return refChallenge
		}
	}
	return e
}

// linkageStep returns the linkage state after step k.
func (s *refSim) linkageStep(k int) int {
	t := &s.t
	l := t.state[refLinkage]
	switch talks := t.state[refTalks]; l {
	case refDormant:
		// link_agendas, unless talks collapsed.
		if talks != refCollapsed && s.u(refLinkage, k) < s.linkP {
			return refLinked
		}
	case refLinked:
		// grant_sanctions_relief, once a partial deal or a ceasefire holds.
		if (talks == refPreliminary || talks == refCeasefire) && s.u(refLinkage, k) < s.reliefP {
			return refSanctionsRelief
		}
	}
	return l
}

// leversStep returns cohesion after the events of step k (levers stays in
// campaign: its transitions are events).
func (s *refSim) leversStep(k int) float64 {
	coh, erosion := s.t.cohesion, s.pr.leverErosion
	switch u := s.u(refLevers, k); {
	case u < s.campaignCum[0]: // nuclear_signal
		return coh * (1 - erosion)
	case u < s.campaignCum[1]: // energy_lever
		return coh * (1 - erosion)
	case u < s.campaignCum[2]: // europe_rallies
		return coh + float64(erosion*(1-coh))
	}
	return coh
}

// termsStep returns the terms state after step k.
func (s *refSim) termsStep(k int) int {
	t := &s.t
	if t.state[refTerms] != refOpen || t.state[refTalks] != refCeasefire {
		return t.state[refTerms]
	}
	// settle_with_demilitarisation with q, settle_without_demilitarisation with 1 − q.
	q := s.demilTime[k]
	if t.entry[refAidRestricted] >= 0 {
		q += s.pr.demilAidCut
	}
	q += float64(s.pr.demilCohesion * (0.5 - t.cohesion))
	q = math.Min(math.Max(q, 0), 1)
	switch u := s.u(refTerms, k); {
	case u < q:
		return refDemilitarisation
	case u < q+(1-q):
		return refNoDemilitarisation
	}
	return refOpen
}

// trial runs one trial and adds its counts to the tally; s.t keeps its path.
func (s *refSim) trial(trial int64) {
	t := &s.t
	tk := trialKey(s.seed, trial)
	s.pr = s.fixed
	for _, sp := range s.sampled {
		s.src.state = streamKey(tk, sp.key)
		*sp.dst = sp.dist.Sample(&s.src)
	}
	pr := &s.pr
	// Per-trial chances (they read sampled params). Talks collapsed:
	// launch_limited_offensive at limited_offensive_rate * collapse_war_mult,
	// mobilise at mob_rate_collapse.
	s.holdingCum[1][0], s.holdingCum[1][1] = refRace2(pr.limitedOffensiveRate*pr.collapseWarMult, pr.mobRateCollapse, s.days)
	s.limitedCum[1][0], s.limitedCum[1][1] = refRace2(pr.offensiveCulminationRate, pr.mobRateCollapse, s.days)
	s.joinCum[0], s.joinCum[1], _ = refRace3(pr.europeJoinRate*(1-pr.pGroundForce), pr.europeJoinRate*pr.pGroundForce, 0, s.days)

	for g := range t.entry {
		t.entry[g] = -1
	}
	moves := s.tally.moves
	for k, g := range refInitial {
		t.state[k] = g
		t.entry[g] = 0
		t.stream[k] = streamKey(tk, s.key[k])
		moves[g]++
	}
	t.cohesion = pr.cohesionInit

	for k := range s.steps {
		// Every track reads the state at point k; then all move at once.
		n := &t.next
		n[refTalks] = s.talksStep(k)
		n[refMilitary] = s.militaryStep(k)
		n[refUSStance] = s.usStep(k)
		n[refEurope] = s.europeStep(k)
		n[refLinkage] = s.linkageStep(k)
		n[refLevers] = refCampaign
		n[refTerms] = s.termsStep(k)
		cohesion := s.leversStep(k)
		for i, g := range n {
			if from := t.state[i]; g != from {
				t.state[i] = g
				if t.entry[g] < 0 {
					t.entry[g] = int32(k + 1)
				}
				moves[(k+1)*refNStates+from]--
				moves[(k+1)*refNStates+g]++
			}
		}
		t.cohesion = cohesion
	}

	P := s.steps + 1
	for g, e := range t.entry {
		if e < 0 {
			e = int32(P)
		}
		s.tally.entry[g*(P+1)+int(e)]++
	}
	s.outcomes()
	for i := range refNOut {
		s.tally.given[i] += int64(t.given >> i & 1)
		s.tally.hits[i] += int64(t.hit >> i & 1)
	}
	s.tally.trials++
}

// run zeroes the tally and runs trials first .. first+n-1.
func (s *refSim) run(first, n int64) {
	s.tally.trials, s.tally.hits, s.tally.given = 0, [refNOut]int64{}, [refNOut]int64{}
	clear(s.tally.entry)
	clear(s.tally.occupancy)
	clear(s.tally.moves)
	for i := first; i < first+n; i++ {
		s.trial(i)
	}
	// Occupancy is counted as changes of state (as the engine does): the
	// trials in g at point k are the moves into g minus out of g up to k.
	occ, moves := s.tally.occupancy, s.tally.moves
	for i, m := range moves {
		if i >= refNStates {
			m += occ[i-refNStates]
		}
		occ[i] = m
	}
}

// Outcomes of baseline.yaml, in file order.
const (
	oPreliminaryDeal = iota
	oPrelimWithin3w
	oCeasefireWeek1
	oCeasefireByApril
	oCeasefireBySummer
	oCeasefireByHorizon
	oCeasefireLagExceedsPrelimLag
	oPrelimHazardBeforeSummer
	oPrelimHazardAfterSummer
	oCeasefireHazardBeforeSummer
	oCeasefireHazardAfterSummer
	oTalksStalledAtHorizon
	oTalksUnresolvedAtHorizon
	oTalksCollapsed
	oMobilisation
	oMobilisationGivenCollapse
	oMobilisationBeforeTalksFailed
	oLimitedOffensive
	oMajorOffensive
	oMajorWithoutMobilisation
	oUSPressedKyiv
	oUSPressedMoscow
	oUSAidRestricted
	oSanctionsRelief
	oSettlementDemil
	oDemilGivenSettlement
	oDemilGivenEarlySettlement
	oDemilGivenLateSettlement
	oDemilGivenAidRestricted
	oDemilGivenAidIntact
	oEuropeanChallenge
	oChallengeGivenCeasefire
	oCeasefireGivenGroundForce
	oCeasefireGivenAirspace
	oEuropeFragmented
	oNewConflict
	oNewConflictWithoutCeasefire
	oNewConflictFirst13w
	oNewConflictWeeks14To26
	refNOut
)

var refOutNames = [refNOut]string{
	"preliminary_deal", "prelim_within_3w", "ceasefire_week1", "ceasefire_by_april", "ceasefire_by_summer",
	"ceasefire_by_horizon", "ceasefire_lag_exceeds_prelim_lag", "prelim_hazard_before_summer",
	"prelim_hazard_after_summer", "ceasefire_hazard_before_summer", "ceasefire_hazard_after_summer",
	"talks_stalled_at_horizon", "talks_unresolved_at_horizon", "talks_collapsed", "mobilisation",
	"mobilisation_given_collapse", "mobilisation_before_talks_failed", "limited_offensive", "major_offensive",
	"major_without_mobilisation", "us_pressed_kyiv", "us_pressed_moscow", "us_aid_restricted", "sanctions_relief",
	"settlement_demil", "demil_given_settlement", "demil_given_early_settlement", "demil_given_late_settlement",
	"demil_given_aid_restricted", "demil_given_aid_intact", "european_challenge", "challenge_given_ceasefire",
	"ceasefire_given_ground_force", "ceasefire_given_airspace", "europe_fragmented", "new_conflict",
	"new_conflict_without_ceasefire", "new_conflict_first_13w", "new_conflict_weeks_14_26",
}

// outcomes evaluates every outcome at the horizon into s.t.given and s.t.hit.
func (s *refSim) outcomes() {
	t := &s.t
	t.given, t.hit = 0, 0
	set := func(i int, given, when bool) {
		if given {
			t.given |= 1 << i
			if when {
				t.hit |= 1 << i
			}
		}
	}
	reached := func(g int) bool { return t.entry[g] >= 0 }
	talks, settled := t.state[refTalks], t.state[refTerms] != refOpen
	prelim, cf := reached(refPreliminary), reached(refCeasefire)

	set(oPreliminaryDeal, true, prelim)
	set(oPrelimWithin3w, true, s.reachedBy(refPreliminary, s.threeWeeks))
	set(oCeasefireWeek1, true, s.reachedBy(refCeasefire, s.oneWeek))
	set(oCeasefireByApril, true, s.reachedBy(refCeasefire, s.endOfApril))
	set(oCeasefireBySummer, true, s.reachedBy(refCeasefire, s.summer))
	set(oCeasefireByHorizon, true, cf)
	if prelim && cf {
		// entry(talks.ceasefire) - entry(talks.preliminary) > entry(talks.preliminary)
		ep := s.entryDay(refPreliminary)
		set(oCeasefireLagExceedsPrelimLag, true, s.entryDay(refCeasefire)-ep > ep)
	}
	set(oPrelimHazardBeforeSummer, !s.reachedBy(refPreliminary, s.summerMinus4w), s.reachedBy(refPreliminary, s.summer))
	set(oPrelimHazardAfterSummer, !s.reachedBy(refPreliminary, s.summerPlus1w), s.reachedBy(refPreliminary, s.summerPlus5w))
	set(oCeasefireHazardBeforeSummer, !s.reachedBy(refCeasefire, s.summerMinus4w), s.reachedBy(refCeasefire, s.summer))
	set(oCeasefireHazardAfterSummer, !s.reachedBy(refCeasefire, s.summerPlus1w), s.reachedBy(refCeasefire, s.summerPlus5w))
	set(oTalksStalledAtHorizon, true, talks == refStalled)
	set(oTalksUnresolvedAtHorizon, true, talks == refNegotiating || talks == refPreliminary || talks == refStalled)
	set(oTalksCollapsed, true, reached(refCollapsed))

	mob := reached(refMobilised)
	set(oMobilisation, true, mob)
	set(oMobilisationGivenCollapse, reached(refCollapsed), mob)
	// entry(military.mobilised) <= min(entry(talks.collapsed), max(entry(talks.stalled), summer))
	set(oMobilisationBeforeTalksFailed, true, mob &&
		s.entryDay(refMobilised) <= math.Min(s.entryDay(refCollapsed), math.Max(s.entryDay(refStalled), s.summer)))
	set(oLimitedOffensive, true, reached(refLimitedOffensive))
	set(oMajorOffensive, true, reached(refMajorOffensive))
	set(oMajorWithoutMobilisation, true, reached(refMajorOffensive) && !mob)

	aid := reached(refAidRestricted)
	set(oUSPressedKyiv, true, reached(refPressingKyiv))
	set(oUSPressedMoscow, true, reached(refPressingMoscow))
	set(oUSAidRestricted, true, aid)
	set(oSanctionsRelief, true, reached(refSanctionsRelief))

	demil := reached(refDemilitarisation)
	early := s.reachedBy(refCeasefire, s.summer)
	set(oSettlementDemil, true, demil)
	set(oDemilGivenSettlement, settled, demil)
	set(oDemilGivenEarlySettlement, settled && early, demil)
	set(oDemilGivenLateSettlement, settled && !early, demil)
	set(oDemilGivenAidRestricted, settled && aid, demil)
	set(oDemilGivenAidIntact, settled && !aid, demil)

	set(oEuropeanChallenge, true, reached(refChallenge))
	set(oChallengeGivenCeasefire, cf, reached(refChallenge))
	set(oCeasefireGivenGroundForce, reached(refTableGroundForce), cf)
	set(oCeasefireGivenAirspace, reached(refTableAirspace), cf)
	set(oEuropeFragmented, true, t.cohesion < 0.35)

	nc := reached(refNewConflict)
	set(oNewConflict, true, nc)
	set(oNewConflictWithoutCeasefire, true, nc && !cf)
	// lag = entry(military.new_conflict) - entry(military.demobilising)
	lag := s.entryDay(refNewConflict) - s.entryDay(refDemobilising)
	early6 := s.entryDay(refDemobilising) <= s.sixMonthsLeft
	first13 := nc && lag <= 13*refWeek
	set(oNewConflictFirst13w, early6, first13)
	set(oNewConflictWeeks14To26, early6 && !first13, nc && lag <= 26*refWeek)
}

// refReplayTrials is the number of trials replayed one by one in the engine
// to count the trials where it and the reference disagree.
const refReplayTrials = 20_000

// TestReferenceMatchesEngine runs the reference and the engine on the same
// seed and compares every outcome within standard errors; it then replays
// each trial in the engine and counts, per outcome, the trials where the
// two disagree. Finally every count must be identical.
func TestReferenceMatchesEngine(t *testing.T) {
	p := refPlan(t)
	const n = 100_000
	seed := p.Seed // the file's run.seed
	s, err := newRefSim(p, seed)
	if err != nil {
		t.Fatal(err)
	}
	s.run(0, n)
	eng, err := Run(context.Background(), p, Options{Trials: n, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}

	engIdx := map[string]int{}
	for i, o := range p.Outcomes {
		engIdx[o.Name] = i
	}
	if len(p.Outcomes) != refNOut-len(refChecks) {
		t.Errorf("plan has %d outcomes; the reference codes %d and %d checks", len(p.Outcomes), refNOut-len(refChecks), len(refChecks))
	}

	// Per trial: replay the first trials in the engine, one by one, and
	// compare each with the reference's own path. (Replay builds a tally per
	// trial, which costs about 40 µs, or 10 times that under -race; the
	// tallies of all n trials are compared cell by cell below.)
	var differ [refNOut]int
	var pathDiffer, cohDiffer int
	maxCoh := 0.0
	one, _ := newRefSim(p, seed)
	for trial := int64(0); trial < refReplayTrials; trial++ {
		one.trial(trial)
		path, err := Replay(p, seed, trial)
		if err != nil {
			t.Fatal(err)
		}
		for i, name := range refOutNames {
			j, ok := engIdx[name]
			if !ok {
				continue
			}
			var mine int8 = -1
			if one.t.given>>i&1 == 1 {
				mine = int8(one.t.hit >> i & 1)
			}
			if mine != path.Outcomes[j] {
				differ[i]++
			}
		}
		for g, e := range path.Entry {
			if e != one.t.entry[g] {
				pathDiffer++
				break
			}
		}
		if d := math.Abs(path.Vars[0] - one.t.cohesion); d != 0 {
			cohDiffer++
			maxCoh = math.Max(maxCoh, d)
		}
	}

	// Tolerance: |p_ref − p_eng| ≤ 4·sqrt(p(1−p)·(1/n_ref + 1/n_eng)), p
	// pooled, which is 4·sqrt(p(1−p)·2/n) for an unconditional outcome:
	// four standard errors of the difference of two independent estimates
	// of the same probability. The two runs share their random streams, so
	// they are not independent and should agree far more closely; the bound
	// is what two correct but independently seeded simulators would meet
	// (a false alarm about once in 16000 per outcome), so it still holds if
	// the engine's draws change. p = 0 or 1 leaves no room: the structural
	// checks (must be 0) must agree exactly.
	var b strings.Builder
	fmt.Fprintf(&b, "%-34s %8s %8s %8s %8s %7s\n", "outcome", "P ref", "P engine", "|diff|", "tol", "differ")
	same := 0
	for i, name := range refOutNames {
		j, ok := engIdx[name]
		if check, isCheck := refChecks[name]; isCheck && !ok {
			if refCheckKept(t, p, name, check, s.tally.hits[i]) {
				same++
			}
			continue
		}
		if !ok {
			t.Errorf("outcome %s is not in the plan", name)
			continue
		}
		hr, nr := s.tally.hits[i], s.tally.given[i]
		he, ne := eng.Hits[j], eng.Given[j]
		if nr == 0 || ne == 0 {
			if nr != ne {
				t.Errorf("%s: given held in %d reference trials, %d engine trials", name, nr, ne)
			}
			continue
		}
		pr, pe := float64(hr)/float64(nr), float64(he)/float64(ne)
		pool := float64(hr+he) / float64(nr+ne)
		tol := 4 * math.Sqrt(pool*(1-pool)*(1/float64(nr)+1/float64(ne)))
		diff := math.Abs(pr - pe)
		fmt.Fprintf(&b, "%-34s %7.3f%% %7.3f%% %8.2g %8.2g %7d\n", name, 100*pr, 100*pe, diff, tol, differ[i])
		if diff > tol {
			t.Errorf("%s: reference %.4f (%d/%d), engine %.4f (%d/%d): |diff| %.3g > %.3g", name, pr, hr, nr, pe, he, ne, diff, tol)
		}
		if hr == he && nr == ne {
			same++
		}
	}
	t.Logf("outcomes (differ: of the first %d trials, those whose outcome differs between the reference and the engine's replay of it):\n%s", refReplayTrials, b.String())
	t.Logf("%d of %d outcomes have identical counts (hits and givens) in the two runs", same, refNOut)
	t.Logf("of the first %d trials, those whose first-entry points differ in some state: %d; whose final cohesion differs: %d (largest difference %g)", refReplayTrials, pathDiffer, cohDiffer, maxCoh)

	occDiff, entryDiff := 0, 0
	for i, c := range s.tally.occupancy {
		if c != eng.Occupancy[i] {
			occDiff++
		}
	}
	for i, c := range s.tally.entry {
		if c != eng.Entry[i] {
			entryDiff++
		}
	}
	t.Logf("tally cells that differ: occupancy %d of %d, first entry %d of %d", occDiff, len(eng.Occupancy), entryDiff, len(eng.Entry))
	// The reference follows the engine's arithmetic term by term and draws
	// the same uniform numbers, so it must give the same counts exactly.
	if same != refNOut || occDiff != 0 || entryDiff != 0 {
		t.Errorf("the reference and the engine differ: %d of %d outcomes identical, %d occupancy and %d first-entry cells differ", same, refNOut, occDiff, entryDiff)
	}
}

// BenchmarkReferenceBaseline runs the hand-written reference model on one
// goroutine, as BenchmarkRunReferenceModel runs the engine on the same
// model (20000 trials per op, seed 1, one worker), and reports the same
// metrics.
func BenchmarkReferenceBaseline(b *testing.B) {
	p := refPlan(b)
	const trials = 20000
	s, err := newRefSim(p, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		s.run(0, trials)
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / trials
	b.ReportMetric(ns, "ns/trial")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/trials, "cpu-ns/trial")
	b.ReportMetric(ns/float64(p.Steps), "ns/trial-step")
	b.ReportMetric(1e9/ns, "trials/s")
}

// BenchmarkRunReferenceModel runs the engine on the model the hand-written
// reference codes (testdata/reference_model.yaml), with the settings of
// BenchmarkReferenceBaseline: the pair whose ratio scripts/bench reports.
func BenchmarkRunReferenceModel(b *testing.B) {
	p := refPlan(b)
	const trials = 20000
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := Run(context.Background(), p, Options{Trials: trials, Seed: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / trials
	b.ReportMetric(ns, "ns/trial")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/trials, "cpu-ns/trial")
	b.ReportMetric(ns/float64(p.Steps), "ns/trial-step")
	b.ReportMetric(1e9/ns, "trials/s")
}
