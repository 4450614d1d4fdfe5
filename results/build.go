package results

import (
	"slices"

	"scensim/model"
	"scensim/sim"
)

// LayoutOf describes what a run of plan p counts.
func LayoutOf(p *model.Plan) Layout {
	l := Layout{Scenario: p.Name, Title: p.Title}
	for _, t := range p.Points {
		l.Points = append(l.Points, t.Format(DateLayout))
	}
	for _, d := range p.Dates {
		l.NamedDates = append(l.NamedDates, NamedDate{Name: d.Name, Date: d.Date.Format(DateLayout), Point: l.PointOf(d.Date.Format(DateLayout))})
	}
	for _, tr := range p.Tracks {
		tl := TrackLayout{Name: tr.Name}
		for g := tr.First; g < tr.First+tr.NStates; g++ {
			tl.States = append(tl.States, p.States[g].Name)
		}
		l.Tracks = append(l.Tracks, tl)
	}
	for _, o := range p.Outcomes {
		ol := OutcomeLayout{Name: o.Name, Why: o.Why, Source: o.Source}
		if o.Given != nil {
			ol.Given = o.Given.Src
		}
		l.Outcomes = append(l.Outcomes, ol)
	}
	for _, par := range p.Params {
		if par.Dist != nil {
			l.Params = append(l.Params, ParamLayout{Name: par.Name, Dist: par.Dist.Src, Kind: par.Dist.Kind, Args: slices.Clone(par.Dist.Args), Lo: par.Dist.Lo, Hi: par.Dist.Hi, Bins: sim.HistBins})
		}
	}
	return l
}

// CountsOf converts an engine tally into counts (sharing its slices).
func CountsOf(t *sim.Tally) Counts {
	return Counts{
		Trials: t.Trials, Hits: t.Hits, Given: t.Given,
		Entry: t.Entry, Occupancy: t.Occupancy, ParamHist: t.ParamHist,
	}
}

// ManifestOf records what is needed to reproduce a run of p.
func ManifestOf(p *model.Plan, seed uint64, trials int64, toolVersion string) Manifest {
	m := Manifest{
		Scenario: p.Name, Title: p.Title, File: p.File, FileSHA256: p.SHA256,
		Seed: seed, Trials: trials, Step: p.StepUnit,
		Start: p.Points[0].Format(DateLayout), End: p.Points[p.Steps].Format(DateLayout),
		Steps: p.Steps, Overrides: p.Overrides, ToolVersion: toolVersion,
	}
	for _, b := range p.Bases {
		m.Bases = append(m.Bases, b.File+" "+b.SHA256)
	}
	return m
}

// FromRun builds the result document of a run of p.
func FromRun(p *model.Plan, t *sim.Tally, seed uint64, toolVersion string, run RunInfo) (*Result, error) {
	return NewResult(LayoutOf(p), CountsOf(t), ManifestOf(p, seed, t.Trials, toolVersion), run)
}
