package model

import (
	"strings"
	"testing"
)

func TestAsOf(t *testing.T) {
	base := strings.Replace(checksBase, "name: base\n", "name: base\nas_of: 2025-01-01\n", 1)
	f := files{
		"base.yaml":    base,
		"inherit.yaml": "scensim: 1\nname: inherit\nextends: base\n",
		"own.yaml":     "scensim: 1\nname: own\nextends: base\nas_of: 2025-01-05\n",
		"none.yaml":    checksBase,
		"bad.yaml":     strings.Replace(checksBase, "name: base\n", "name: base\nas_of: last tuesday\n", 1),
	}
	for file, want := range map[string]string{"base.yaml": "2025-01-01", "inherit.yaml": "2025-01-01", "own.yaml": "2025-01-05", "none.yaml": ""} {
		if got := mustCompile(t, f, file).AsOf; got != want {
			t.Errorf("%s: as_of %q, want %q", file, got, want)
		}
	}
	p, errs := f.compile(t, "bad.yaml")
	if p != nil || !strings.Contains(errs.Error(), `as_of "last tuesday" is not a date`) {
		t.Errorf("bad as_of: plan %v, errors %v", p != nil, errs)
	}
}
