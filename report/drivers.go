package report

import (
	"encoding/json"
	"path/filepath"

	"scensim/internal/fsread"
	"scensim/results"
)

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

// readDrivers reads the top drivers of a result folder's result.json, nil
// when the result records none (a flat run, or a result written without
// them). A file that cannot be read gives nil too: the drivers are an
// optional part of the summary, and the result itself was read already.
func readDrivers(dir string) map[string]OutcomeDrivers {
	data, err := fsread.ReadFile(filepath.Join(dir, "result.json"), results.MaxFileBytes, "result files")
	if err != nil {
		return nil
	}
	var doc struct {
		Drivers map[string]OutcomeDrivers `json:"drivers"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	return doc.Drivers
}
