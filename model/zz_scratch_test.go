package model

import (
	"fmt"
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	f := os.Getenv("SCRATCH")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	p, errs := Compile("x.yaml", data, nil)
	s := errs.Snippets()
	if len(s) > 3000 {
		fmt.Println(len(errs), "errors", len(s), "bytes;", s[:3000])
	} else {
		fmt.Println(s)
	}
	if p != nil {
		fmt.Println("OK steps", p.Steps, "lastday", p.PointDay[p.Steps], p.Points[p.Steps])
		for _, d := range p.Dates {
			fmt.Println(d.Name, d.Date, d.Day, d.Point)
		}
	}
}
