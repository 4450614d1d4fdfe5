package main

import (
	"strings"
	"testing"
)

// TestValidateListsIrregularSteps checks that validate lists the steps the
// baseline's named dates split, and show says what a short step does.
func TestValidateListsIrregularSteps(t *testing.T) {
	t.Parallel()
	out, err := run(t, "validate", "../../scenarios/baseline.yaml")
	if err != nil {
		t.Fatalf("validate baseline: %v\n%s", err, out)
	}
	for _, want := range []string{
		"irregular step(s)",
		"    step 12: 2025-05-28 → 2025-06-01 (4 of 7 days), split at summer\n",
		"    step 13: 2025-06-01 → 2025-06-04 (3 of 7 days), split at summer\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("validate lacks %q:\n%s", want, out)
		}
	}
	out, err = run(t, "show")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "a per-step p becomes 1 − (1 − p)^(days/regular days)") || !strings.Contains(out, "\n  step 12: 2025-05-28 → 2025-06-01") {
		t.Errorf("show does not explain the irregular steps:\n%s", out[:min(len(out), 2000)])
	}
}
