package dist

import "strings"

// Markdown returns the list of distributions as a Markdown document, one
// bullet per registered family with its signature and description, in the
// registry's order. docs/distributions.md holds its output (a test checks
// that it is current).
func Markdown() string {
	var b strings.Builder
	b.WriteString("# Distributions\n\n")
	b.WriteString("A param's `dist:` is one of the following, with constant numbers (or constant\n")
	b.WriteString("expressions) as arguments. It is sampled once per trial. A scenario is refused\n")
	b.WriteString("when the arguments do not define the distribution, or when its draws could not\n")
	b.WriteString("be represented or used: draws or mean beyond ±1e300, a range too narrow to tell\n")
	b.WriteString("apart from one value, or a quantile function that float64 cannot compute\n")
	b.WriteString("faithfully.\n\n")
	for _, f := range Families() {
		b.WriteString("- `" + f.Signature() + "`: " + f.About + "; e.g. `" + f.Name + "(" + formatArgs(f.Example) + ")`.\n")
	}
	b.WriteString("\nThis file is generated from the registry in package `dist` (`go test ./dist -update`).\n")
	return b.String()
}
