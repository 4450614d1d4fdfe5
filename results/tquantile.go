package results

import (
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// t975 holds the quantiles T975 has computed, by degrees of freedom.
var t975 sync.Map // int → float64

// T975 returns the 0.975 quantile of Student's t distribution with df
// degrees of freedom (gonum's distuv.StudentsT), the multiplier of a 95%
// interval from df+1 clusters. A result document needs it for every cell
// with a cluster interval, nearly always at the same df, and computing it
// takes microseconds, so each df's value is computed once per process;
// the value is the one distuv gives, bit for bit.
func T975(df int) float64 {
	if v, ok := t975.Load(df); ok {
		return v.(float64)
	}
	v := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
	t975.Store(df, v)
	return v
}
