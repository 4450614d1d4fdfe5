package sim

import (
	"math"

	"scensim/model"
	"scensim/model/kernel"
)

// cellEvents, as the Kind of a track's entry in runner.now, says that the
// track's cell is a CellTable cell at every step (its row in its cache's
// row) and that every transition of its state is an event back to the
// state with one inline effect (see eventsOnly). The step loop resolves
// such a cell without a branch on whether a transition fires: the effect
// of the pick the uniform number gives is computed either way and kept
// as a pending set only if the number is below the cell's Total. The
// entry's Row and Total are those of the CellTable cell.
const cellEvents kernel.CellKind = math.MaxUint8 - 1

// maxEventsRow is the longest row of a cellEvents cell: the rows that
// pickIndex searches without a branch on the uniform number.
const maxEventsRow = 8

// maxSets returns the most var sets a step of p can leave pending: per
// track, the most effects of one transition from one of its states. A
// transition fires at most once per track and step.
func maxSets(p *model.Plan) int {
	most := make([]int, len(p.Tracks))
	for _, x := range p.Transitions {
		most[x.Track] = max(most[x.Track], len(x.Effects))
	}
	n := 0
	for _, m := range most {
		n += m
	}
	return n
}

// eventsOnly reports whether picks, a state's picks, are all events back
// to the state, each with one inline effect (pickInline).
func eventsOnly(picks []pick) bool {
	if len(picks) == 0 || len(picks) > maxEventsRow {
		return false
	}
	for i := range picks {
		if !picks[i].stays || picks[i].how != pickInline {
			return false
		}
	}
	return true
}
