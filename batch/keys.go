package batch

// Keys: what makes a job's or a comparison's result, as its folder's
// job.json records it, and the checks that a folder holds that result intact.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"

	"scensim/internal/fsread"
	"scensim/model"
	"scensim/outdir"
	"scensim/report"
	"scensim/results"
)

// Key is what makes a job's result: a folder whose job.json holds the same
// key and whose result.json agrees with it is up to date.
type Key struct {
	Scenario    string   `json:"scenario"` // as written in the batch file
	FileSHA256  string   `json:"file_sha256"`
	Bases       []string `json:"bases"` // SHA-256 of each file it extends, nearest first
	Overrides   []string `json:"overrides"`
	Seed        uint64   `json:"seed"`
	Trials      int64    `json:"trials,omitempty"`
	Precision   float64  `json:"precision,omitempty"`
	MaxTrials   int64    `json:"max_trials,omitempty"`
	ToolVersion string   `json:"tool_version"`
	// Draws is the job's draws: (0: the default); PerDraw the trials per
	// parameter draw it resolves to (0: params drawn per trial, when the
	// scenario has no param with a dist, or fixed); FixedParams the job's
	// fixed_params:.
	Draws       int64 `json:"draws"`
	PerDraw     int64 `json:"per_draw"`
	FixedParams bool  `json:"fixed_params"`
	// AsOfForecast is the job's as_of_forecast: date, written into its
	// result (so a new date makes a new result).
	AsOfForecast string `json:"as_of_forecast,omitempty"`
}

// CompareKey is what makes a comparison's result: its jobs' scenarios and
// overrides (their keys without seed and trials), the reference's seed and
// the paired trial count.
type CompareKey struct {
	Jobs        []string `json:"jobs"`
	Keys        []Key    `json:"keys"`
	Seed        uint64   `json:"seed"`
	Trials      int64    `json:"trials"`
	ToolVersion string   `json:"tool_version"`
	// PerDraw is the trials per shared parameter draw (0: params drawn per
	// trial, when no scenario has a param with a dist; -1: every param at
	// its value, the reference job having fixed_params: true); MinDiff and
	// MinDiffValue are the materiality thresholds (shares).
	PerDraw      int64   `json:"per_draw"`
	MinDiff      float64 `json:"min_diff"`
	MinDiffValue float64 `json:"min_diff_value"`
}

// JobFileFormat identifies a job.json file.
const JobFileFormat = "scensim-batch-job/1"

// JobFile is the job.json a batch writes into each job's folder.
type JobFile struct {
	Format     string       `json:"format"`
	Kind       string       `json:"kind"` // "job" or "compare"
	Name       string       `json:"name"`
	Batch      string       `json:"batch"`
	File       string       `json:"file,omitempty"` // the scenario file as compiled
	Key        *Key         `json:"key,omitempty"`
	CompareKey *CompareKey  `json:"compare_key,omitempty"`
	Scenario   *report.Info `json:"scenario,omitempty"`
}

// keyOf is the key of a compiled job, with the batch's and the scenario's
// defaults resolved.
func keyOf(j *Job, p *model.Plan, version string) Key {
	k := Key{Scenario: j.Scenario, FileSHA256: p.SHA256, Overrides: slices.Clone(j.Sets),
		Seed: p.Seed, Trials: j.Trials, Precision: j.Precision, MaxTrials: j.MaxTrials, ToolVersion: version, AsOfForecast: j.AsOfForecast}
	for _, b := range p.Bases {
		k.Bases = append(k.Bases, b.SHA256)
	}
	if j.Seed != nil {
		k.Seed = *j.Seed
	}
	if k.Precision == 0 && k.Trials == 0 {
		k.Trials = p.Trials
	}
	k.Draws, k.FixedParams = j.Draws, j.FixedParams
	k.PerDraw = jobParams(j, p, k.Trials, k.Precision > 0).PerDraw
	return k
}

// fixedOverride is what a job with fixed_params: true adds to its plan's
// overrides, as run --fixed-params does, so that its manifest says so.
const fixedOverride = "params=fixed"

// manifestOverrides are the overrides a job's result.json records.
func (k *Key) manifestOverrides() []string {
	if k.FixedParams {
		return append(slices.Clone(k.Overrides), fixedOverride)
	}
	return k.Overrides
}

// readJobFile reads a folder's job.json.
func readJobFile(dir string) (*JobFile, error) {
	data, err := fsread.ReadFile(filepath.Join(dir, report.JobFileName), results.MaxFileBytes, "job files")
	if err != nil {
		return nil, err
	}
	var jf JobFile
	if err := json.Unmarshal(data, &jf); err != nil {
		return nil, err
	}
	if jf.Format != JobFileFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", report.JobFileName, jf.Format, JobFileFormat)
	}
	return &jf, nil
}

// filesIntact reports whether dir's manifest lists job.json and every one of
// names, and every file it lists (charts included) is there with the size
// and SHA-256 it records.
func filesIntact(dir string, names []string) bool {
	m, err := outdir.ReadManifestFile(dir)
	if err != nil || !m.Has(report.JobFileName) {
		return false
	}
	for _, name := range names {
		if !m.Has(name) {
			return false
		}
	}
	return m.Verify(dir) == nil
}

// upToDate returns the result in dir if the folder holds a complete result
// of key: job.json with the same key, a manifest of which every file
// (result files, charts, job.json) is intact (see [filesIntact]), and a result.json
// whose manifest agrees (scenario hash, seed, overrides, trials or
// precision target). Otherwise nil.
func upToDate(dir string, key *Key) *results.Result {
	jf, err := readJobFile(dir)
	if err != nil || jf.Key == nil {
		return nil
	}
	a, _ := json.Marshal(jf.Key)
	b, _ := json.Marshal(key)
	if !bytes.Equal(a, b) {
		return nil
	}
	if !filesIntact(dir, results.FileNames()) {
		return nil
	}
	res, err := results.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		return nil
	}
	m := res.Manifest
	if m.FileSHA256 != key.FileSHA256 || m.Seed != key.Seed || !slices.Equal(m.Overrides, key.manifestOverrides()) || m.Shard != nil {
		return nil
	}
	if key.Precision > 0 {
		if res.Run.Precision != key.Precision {
			return nil
		}
	} else if res.Counts.Ran() != key.Trials { // with evidence, Trials counts the kept trials only
		return nil
	}
	return res
}

// compareUpToDate reports whether dir holds a comparison of key.
func compareUpToDate(dir string, key *CompareKey) bool {
	jf, err := readJobFile(dir)
	if err != nil || jf.CompareKey == nil {
		return false
	}
	a, _ := json.Marshal(jf.CompareKey)
	b, _ := json.Marshal(key)
	if !bytes.Equal(a, b) || !filesIntact(dir, []string{report.CompareFileName}) {
		return false
	}
	_, err = report.ReadComparison(filepath.Join(dir, report.CompareFileName))
	return err == nil
}
