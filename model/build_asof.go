package model

// buildAsOf reads as_of: the date of the information the scenario
// encodes (the date a briefing was written as of), an ISO date
// YYYY-MM-DD. It is optional; an overlay inherits its base's unless it
// gives its own. Results, reports and diffs show it beside (or instead of)
// the date they were generated, so that a reader knows how old the
// assumptions are, not only the numbers.
func (b *builder) buildAsOf() {
	t := b.raw.asOf
	if !t.ok() {
		return
	}
	d, err := parseDate(t.S)
	if err != nil {
		b.errorf(t, "as_of %q is not a date (want YYYY-MM-DD)", t.S)
		return
	}
	b.plan.AsOf = d.Format("2006-01-02")
}
