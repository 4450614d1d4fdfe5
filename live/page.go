package live

import _ "embed"

// pageHTML is the live page: plain HTML, CSS and script, with no outside
// resource, so it works offline.
//
//go:embed page.html
var pageHTML []byte

// Page returns the live page's bytes.
func Page() []byte { return pageHTML }
