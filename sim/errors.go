package sim

import (
	"errors"
	"fmt"

	"scensim/model"
	"scensim/tally"
)

// RuntimeError is a probability that turned out invalid during a trial,
// or a check that a trial's path broke (see checks.go).
type RuntimeError struct {
	Trial      int64
	Step       int
	Date       string
	Transition string // "track: name", or a list for a sum
	Value      float64
	Kind       ErrorKind
	Check      *model.Check // the check broken, for a check error
}

// ErrorKind says what was wrong at run time.
type ErrorKind uint8

const (
	errProb  ErrorKind = iota // a probability outside [0, 1] or NaN
	errSum                    // probabilities out of one state summing above 1
	errRate                   // a negative, infinite or NaN rate
	errCheck                  // a check that does not hold
	errValue                  // a value outcome's value beyond ±tally.MaxValue
)

func (e *RuntimeError) Error() string {
	switch e.Kind {
	case errSum:
		return fmt.Sprintf("trial %d, step %d (%s): probabilities of %s sum to %g > 1", e.Trial, e.Step, e.Date, e.Transition, e.Value)
	case errRate:
		return fmt.Sprintf("trial %d, step %d (%s): transition %s has rate %g; a rate must be finite and ≥ 0", e.Trial, e.Step, e.Date, e.Transition, e.Value)
	case errCheck:
		return e.checkMessage()
	case errValue:
		return fmt.Sprintf("trial %d: value outcome %s is %g, beyond the ±%g a value may reach", e.Trial, e.Transition, e.Value, float64(tally.MaxValue))
	}
	return fmt.Sprintf("trial %d, step %d (%s): transition %s has probability %g outside [0, 1]", e.Trial, e.Step, e.Date, e.Transition, e.Value)
}

// ErrInterrupted is returned (wrapped in *Interrupted) when the context is
// cancelled before all trials are done.
var ErrInterrupted = errors.New("interrupted")

// Interrupted reports how far a cancelled run got.
type Interrupted struct {
	Completed int64
	Trials    int64
}

func (e *Interrupted) Error() string {
	return fmt.Sprintf("interrupted after %d of %d trials", e.Completed, e.Trials)
}

func (e *Interrupted) Unwrap() error { return ErrInterrupted }
