package chart

// PlainPaths makes the canvases made after it fill and stroke every path
// through vgimg until restore is called; see plainPaths. Tests that call
// it must not run in parallel with other chart tests.
func PlainPaths() (restore func()) {
	plainPaths = true
	return func() { plainPaths = false }
}
