// Package runresult builds the result documents of the results package
// from what the simulator ran: a compiled plan (package model) and its
// counts or paired counts (package sim). It is the one adapter between
// the two sides, so that results knows nothing of model or sim and a
// saved result can be read and rendered without a scenario.
//
//	model → sim → runresult → (analysis, batch, report, cmd)
//	              results ↗
//
// [FromRun] builds a run's [results.Result] ([LayoutOf] what was counted,
// [ManifestOf] how to reproduce it); [NewCompareLayout] and
// [CompareLayout.Build] build a paired comparison's
// [results.Comparison]; [DiffAssumptions] and [CitedHypotheses] describe
// how plans differ and which hypotheses they cite.
package runresult
