package sim_test

import "time"

func time2025(month, day int) time.Time {
	return time.Date(2025, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

func monthsAfter(t time.Time, n int) time.Time { return t.AddDate(0, n, 0) }

func dayDiff(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
