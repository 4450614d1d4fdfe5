//go:build !race

package chart

// raceBuild: see race_on_internal_test.go.
const raceBuild = false
