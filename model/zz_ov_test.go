package model

import (
	"fmt"
	"os"
	"testing"
)

func TestScratchOv(t *testing.T) {
	data, _ := os.ReadFile("testdata/valid/small.yaml")
	for _, ov := range [][]Override{
		{{"p_deal", "0.3"}},
		{{"spring", "2025-04-01"}},
		{{"spring", "summer + 1w"}},
		{{"spring", "late_spring"}},
		{{"spring", "garbage"}},
		{{"nosuch", "1"}},
		{{"mood", "1"}},
		{{"p_deal", "abc"}},
		{{"p_deal", "NaN"}},
		{{"p_deal", "1e400"}},
		{{"p_deal", "2"}},
	} {
		p, errs := Compile("small.yaml", data, ov)
		fmt.Printf("== %v\n%s\n", ov, errs.Snippets())
		if p != nil {
			fmt.Println(p.Params[0].Value, p.Params[0].Dist, p.Dates[0].Date, p.Dates[1].Date, p.Overrides)
		}
	}
}
