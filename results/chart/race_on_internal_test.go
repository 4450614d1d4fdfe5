//go:build race

package chart

// raceBuild reports whether the tests run under the race detector, where
// the tests of single-goroutine code over thousands of images take a
// subset of them (the run without -race takes every one).
const raceBuild = true
