package scenarios

import "testing"

func TestSourceNames(t *testing.T) {
	src := SourceName(Default)
	if src != "embedded:baseline" {
		t.Fatalf("SourceName(%q) = %q", Default, src)
	}
	if name, ok := FromSource(src); !ok || name != Default {
		t.Errorf("FromSource(%q) = %q, %v", src, name, ok)
	}
	for _, s := range []string{"baseline", "scenarios/baseline.yaml", "embedded", ""} {
		if name, ok := FromSource(s); ok {
			t.Errorf("FromSource(%q) = %q, true; want not embedded", s, name)
		}
	}
	want, _ := Read(Default)
	if data, ok := ReadSource(src); !ok || string(data) != string(want) {
		t.Errorf("ReadSource(%q): %d bytes, %v", src, len(data), ok)
	}
	if _, ok := ReadSource(SourceName("no_such_scenario")); ok {
		t.Error("ReadSource found a scenario that is not embedded")
	}
	if _, ok := ReadSource(Default); ok {
		t.Error("ReadSource read a bare name as a source name")
	}
}
