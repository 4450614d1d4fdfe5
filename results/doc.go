// Package results turns the integer tallies of a scensim run into a result
// document and renders it as text, Markdown, CSV and JSON.
//
// The package works from pure data: a [Layout] (what was counted), [Counts]
// (the mergeable integer tallies), a [Manifest] (how to reproduce the run)
// and a [RunInfo] (run-specific facts such as the worker count). It does not
// import the model or the simulator (only package tally, the counts type the
// simulator fills); package runresult builds these inputs from a compiled
// plan and its run. So a saved result.json can be re-read with [ReadJSON] and
// re-rendered without the scenario, and every renderer can be golden-tested
// on hand-built inputs.
//
// Determinism: every renderer is a pure function of its input and prints
// floats with a fixed format, so equal inputs give byte-identical output.
// [RunInfo] (workers, elapsed time, start time) is written only to result.json;
// the text, Markdown and CSV outputs never contain it, so they are identical
// for runs that differ only in worker count or wall-clock time.
//
// Statistics: a probability is reported as a [Proportion]: the point estimate
// k/n, its Monte Carlo standard error sqrt(p(1-p)/n) and the Wilson (1927)
// score interval at 95%, as recommended by Newcombe (1998) and Agresti &
// Coull (1998) over the Wald interval.
package results
