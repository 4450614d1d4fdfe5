package outdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadManifestRefuses(t *testing.T) {
	const h = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	entry := func(s string) string { return `{"format":"scensim-files/1","files":[` + s + `]}` }
	for _, c := range []struct{ in, want string }{
		{``, "manifest: EOF"},
		{`null`, `no "format"`},
		{`[]`, "cannot unmarshal array"},
		{`{"format":"x","files":[]}`, `format "x"`},
		{`{"format":"scensim-files/1"}`, `no "files"`},
		{`{"format":"scensim-files/1","files":null}`, `no "files" (or null)`},
		{`{"format":"scensim-files/1","files":[],"extra":1}`, `unknown field "extra"`},
		{entry(`{"name":null,"size":1,"sha256":"` + h + `"}`), "files[0].name is missing or null"},
		{entry(`{"name":"a","size":null,"sha256":"` + h + `"}`), "files[0].size is missing or null"},
		{entry(`{"name":"a","size":-1,"sha256":"` + h + `"}`), "files[0].size = -1 is negative"},
		{entry(`{"name":"a","size":1.5,"sha256":"` + h + `"}`), "files[0]: json: cannot unmarshal number 1.5"},
		{entry(`{"name":"a","size":1,"sha256":null}`), "files[0].sha256 is missing or null"},
		{entry(`{"name":"a","size":1,"sha256":"ABC"}`), "is not 64 lowercase hex digits"},
		{entry(`{"name":"../a","size":1,"sha256":"` + h + `"}`), "is not a plain file name"},
		{entry(`{"name":".scensim-files.json","size":1,"sha256":"` + h + `"}`), "is not a plain file name"},
		{entry(`{"name":"a","size":1,"sha256":"` + h + `"},{"name":"a","size":1,"sha256":"` + h + `"}`), "listed twice"},
		{entry(``) + `{}`, "data after the JSON object"},
	} {
		_, err := ReadManifest([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.in, err, c.want)
		}
	}
}

// Verify notices a deleted, shortened or rewritten file.
func TestManifestVerify(t *testing.T) {
	for name, spoil := range map[string]func(dir string) error{
		"deleted":   func(dir string) error { return os.Remove(filepath.Join(dir, "b.png")) },
		"shortened": func(dir string) error { return os.WriteFile(filepath.Join(dir, "a.csv"), []byte("x"), 0o644) },
		"same size": func(dir string) error { return os.WriteFile(filepath.Join(dir, "a.csv"), []byte("1,3\n"), 0o644) },
		"a folder": func(dir string) error {
			if err := os.Remove(filepath.Join(dir, "b.png")); err != nil {
				return err
			}
			return os.Mkdir(filepath.Join(dir, "b.png"), 0o755)
		},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		if err := ReplaceDir(dir, files("a.csv", "1,2\n", "b.png", "png")); err != nil {
			t.Fatal(err)
		}
		m, err := ReadManifestFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Verify(dir); err != nil {
			t.Fatalf("%s: intact folder: %v", name, err)
		}
		if err := spoil(dir); err != nil {
			t.Fatal(err)
		}
		if err := m.Verify(dir); err == nil {
			t.Errorf("%s: Verify found nothing", name)
		}
	}
}

// FuzzReadManifest: no input panics, and every accepted manifest is
// internally consistent: plain distinct names, sorted, non-negative sizes,
// well-formed hashes, and it encodes and reads back to the same entries.
func FuzzReadManifest(f *testing.F) {
	good, _ := ManifestOf(files("result.json", "{}", "a.png", "png")).Encode()
	f.Add(good)
	f.Add([]byte(`{"format":"scensim-files/1","files":[]}`))
	f.Add([]byte(`{"format":"scensim-files/1","files":[{"name":"a","size":null,"sha256":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadManifest(data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for i, e := range m.Files {
			if checkName(e.Name) != nil || seen[e.Name] || e.Size < 0 || !isHexSHA256(e.SHA256) {
				t.Fatalf("accepted a bad entry %+v", e)
			}
			if i > 0 && m.Files[i-1].Name >= e.Name {
				t.Fatalf("entries not sorted: %q before %q", m.Files[i-1].Name, e.Name)
			}
			seen[e.Name] = true
		}
		enc, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadManifest(enc)
		if err != nil || len(back.Files) != len(m.Files) {
			t.Fatalf("re-encoded manifest does not read back: %v", err)
		}
		for i := range back.Files {
			if back.Files[i] != m.Files[i] {
				t.Fatalf("entry %d changed: %+v vs %+v", i, back.Files[i], m.Files[i])
			}
		}
	})
}
