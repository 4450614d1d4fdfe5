package results

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// unprivilegedID is the user and group a root test process re-runs a
// permission test as: 65534, "nobody" on Linux distributions.
const unprivilegedID = 65534

// rerunUnprivileged is for tests of file permissions, which root ignores.
// Run by a user other than root it returns false and the test goes on.
// Run by root it runs this one test again, in a copy of the test binary,
// as an unprivileged user, reports that run's outcome as this test's, and
// returns true (the caller returns). If the re-run cannot be arranged the
// test is skipped, or fails under CI=true, where it must not pass
// unchecked.
func rerunUnprivileged(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		return false
	}
	unmet := func(format string, args ...any) bool {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("running as root and cannot re-run as an unprivileged user: "+format, args...)
		}
		t.Skipf("running as root (permissions are not enforced) and cannot re-run as an unprivileged user: "+format, args...)
		return true
	}
	self, err := os.Executable()
	if err != nil {
		return unmet("%v", err)
	}
	dir, err := os.MkdirTemp("", "unprivileged-")
	if err != nil {
		return unmet("%v", err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		return unmet("%v", err)
	}
	bin := filepath.Join(dir, "results.test")
	if err := copyExecutable(self, bin); err != nil {
		return unmet("%v", err)
	}
	cmd := exec.Command(bin, "-test.run", "^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "TMPDIR="+os.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: unprivilegedID, Gid: unprivilegedID}}
	out, err := cmd.CombinedOutput()
	t.Logf("re-run as uid %d:\n%s", unprivilegedID, out)
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		return unmet("%v", err)
	}
	if err != nil {
		t.Fatalf("the re-run as uid %d failed: %v", unprivilegedID, err)
	}
	return true
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
