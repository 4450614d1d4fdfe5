package model

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

func TestScratchMem(t *testing.T) {
	f := os.Getenv("SCRATCHMEM")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	t0 := time.Now()
	p, errs := Compile("x.yaml", data, nil)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Println("time", time.Since(t0), "TotalAlloc MB", m.TotalAlloc>>20, "errors", len(errs), p != nil)
}
