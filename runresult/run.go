package runresult

import (
	"slices"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// LayoutOf describes what a run of plan p counts.
func LayoutOf(p *model.Plan) results.Layout {
	l := results.Layout{Scenario: p.Name, Title: p.Title}
	for _, t := range p.Points {
		l.Points = append(l.Points, t.Format(results.DateLayout))
	}
	for _, d := range p.Dates {
		l.NamedDates = append(l.NamedDates, results.NamedDate{Name: d.Name, Date: d.Date.Format(results.DateLayout), Point: l.PointOf(d.Date.Format(results.DateLayout)), Internal: d.Internal})
	}
	for _, tr := range p.Tracks {
		tl := results.TrackLayout{Name: tr.Name}
		for g := tr.First; g < tr.First+tr.NStates; g++ {
			tl.States = append(tl.States, p.States[g].Name)
		}
		l.Tracks = append(l.Tracks, tl)
	}
	for _, o := range p.Outcomes {
		ol := results.OutcomeLayout{Name: o.Name, Why: o.Why, Source: o.Source,
			OutcomeMeta: results.OutcomeMeta{Group: o.Group, Headline: o.Headline, Question: o.Question}}
		if o.Given != nil {
			ol.Given = o.Given.Src
		}
		l.Outcomes = append(l.Outcomes, ol)
	}
	for _, par := range p.Params {
		if par.Dist != nil {
			l.Params = append(l.Params, results.ParamLayout{Name: par.Name, Dist: par.Dist.Src, Kind: par.Dist.Kind, Args: slices.Clone(par.Dist.Args), Lo: par.Dist.Lo, Hi: par.Dist.Hi, Bins: sim.HistBins})
		}
	}
	l.Values = valueLayouts(p)
	l.Evidence = evidenceItems(p)
	return l
}

// ManifestOf records what is needed to reproduce a run of p.
func ManifestOf(p *model.Plan, seed uint64, trials int64, toolVersion string) results.Manifest {
	m := results.Manifest{
		Scenario: p.Name, Title: p.Title, File: p.File, FileSHA256: p.SHA256,
		Seed: seed, Trials: trials, Step: p.StepUnit,
		Start: p.Points[0].Format(results.DateLayout), End: p.Points[p.Steps].Format(results.DateLayout),
		Steps: p.Steps, Overrides: p.Overrides, ToolVersion: toolVersion,
		AsOf: p.AsOf, Snapshot: SnapshotOf(p),
	}
	for _, b := range p.Bases {
		m.Bases = append(m.Bases, b.File+" "+b.SHA256)
	}
	for _, f := range p.EvidenceFiles {
		m.EvidenceFiles = append(m.EvidenceFiles, f.File+" "+f.SHA256)
	}
	for _, par := range p.Params {
		if par.Dist == nil {
			m.ParamsFixed++
		}
	}
	return m
}

// FromRun builds the result document of a run of p without a design
// (see [FromRunDesign]).
func FromRun(p *model.Plan, t *sim.Tally, seed uint64, toolVersion string, run results.RunInfo) (*results.Result, error) {
	return FromRunDesign(p, t, seed, nil, toolVersion, run)
}

// FromRunDesign builds the result document of a run of p with seed and
// design (the run's sim.Options.Design, nil for none). For a nested run it
// recomputes the param values of every draw the counts cover
// ([sim.DrawValues]) and hands them to the result, which derives each
// outcome's top drivers from them ([results.Result.SetDrawParams]).
func FromRunDesign(p *model.Plan, t *sim.Tally, seed uint64, design sim.Design, toolVersion string, run results.RunInfo) (*results.Result, error) {
	r, err := results.NewResult(LayoutOf(p), *t, ManifestOf(p, seed, t.Ran(), toolVersion), run)
	if err != nil || !t.Nested() {
		return r, err
	}
	dp := &results.DrawParams{Values: sim.DrawValues(p, seed, design, int64(t.Draws()))}
	for _, par := range p.Params {
		if par.Dist != nil {
			dp.Params = append(dp.Params, par.Name)
		}
	}
	if err := r.SetDrawParams(dp); err != nil {
		return nil, err
	}
	return r, nil
}
