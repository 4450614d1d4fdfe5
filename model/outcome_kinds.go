package model

// OutcomeKind says what an outcome reports about each trial: whether an
// event happened (a probability over trials) or a number (a distribution
// over trials). Every kind is listed once, in outcomeKinds; a new kind
// plugs in there with the fields that select it and its builder.
type OutcomeKind uint8

const (
	// KindProbability is a yes/no outcome (`when:`, optional `given:`),
	// kept in Plan.Outcomes.
	KindProbability OutcomeKind = iota
	// KindValue is a number per trial (`value:` or `accumulate:`), kept in
	// Plan.Values.
	KindValue
)

// String returns the kind's name as the documentation uses it.
func (k OutcomeKind) String() string { return outcomeKinds[k].name }

// outcomeKind describes one kind of outcome: selects reports whether a
// raw outcome is of this kind (kinds are tried in order, so the last one
// is the fallback) and build compiles it into the plan.
type outcomeKind struct {
	name    string
	selects func(ro *rawOutcome) bool
	build   func(b *builder, ro *rawOutcome)
}

// outcomeKinds lists the kinds by OutcomeKind; kindOrder is the order in
// which they are tried.
var outcomeKinds = [...]outcomeKind{
	KindProbability: {"probability", func(*rawOutcome) bool { return true }, (*builder).buildProbabilityOutcome},
	KindValue:       {"value", func(ro *rawOutcome) bool { return ro.value.selected() }, (*builder).buildValueOutcome},
}

var kindOrder = [...]OutcomeKind{KindValue, KindProbability}

// outcomeKindOf returns the kind of a raw outcome.
func outcomeKindOf(ro *rawOutcome) OutcomeKind {
	for _, k := range kindOrder {
		if outcomeKinds[k].selects(ro) {
			return k
		}
	}
	return KindProbability
}
