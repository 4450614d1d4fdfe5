package kernel

// JudgeLists judges f into v by the per-word lists of terms, the oracle
// of the flat judgement.
func (h *Horizon) JudgeLists(f *Frame, v *Verdict) { h.judgeLists(f, v) }

// Flat reports whether h judges by its flat form.
func (h *Horizon) Flat() bool { return h.flat != nil }
