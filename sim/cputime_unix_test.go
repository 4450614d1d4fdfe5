//go:build unix

package sim

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used; the
// benchmarks report per-step costs by it too, since a machine shared with
// other work disturbs it less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
