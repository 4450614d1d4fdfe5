package chart_test

import (
	"testing"

	"scensim/results/chart"
)

// BenchmarkAllBaseline draws and encodes every default chart of the
// baseline (5000 trials) as PNG, as a run does:
//
//	go test ./results/chart -run '^$' -bench AllBaseline -benchtime 5x
func BenchmarkAllBaseline(b *testing.B) {
	r := baseline(b)
	b.ResetTimer()
	for b.Loop() {
		files, err := chart.All(r, chart.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(files)), "charts/op")
	}
}
