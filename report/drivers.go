package report

import "scensim/results"

// Driver is one of an outcome's top drivers as result.json records them
// (its "drivers" object, by outcome): a param and its first-order share of
// the outcome's variance across parameter draws, with a 95% interval.
type Driver struct {
	Param string  `json:"param"`
	Share float64 `json:"share"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// OutcomeDrivers are the top drivers of one outcome, largest first; Note
// says why there are none when Top is empty.
type OutcomeDrivers struct {
	Top  []Driver `json:"top"`
	Note string   `json:"note,omitempty"`
}

// driversOf returns the top drivers a result records (result.json's
// "drivers"), nil when it records none (a flat run, or a result written
// without them).
func driversOf(res *results.Result) map[string]OutcomeDrivers {
	if res == nil || len(res.Drivers) == 0 {
		return nil
	}
	out := make(map[string]OutcomeDrivers, len(res.Drivers))
	for name, d := range res.Drivers {
		od := OutcomeDrivers{Note: d.Note}
		for _, x := range d.Top {
			od.Top = append(od.Top, Driver{Param: x.Param, Share: x.Share, Lo: x.Lo, Hi: x.Hi})
		}
		out[name] = od
	}
	return out
}
