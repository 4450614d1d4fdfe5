package sim

// Param histograms bin a value without a division where the product with
// a precomputed scale decides the bin beyond doubt.
//
// histBin computes x = fl(fl(d/w)·HistBins) with d = fl(v−lo) ≥ 0 and
// w = fl(hi−lo) > 0; histBinScaled computes y = fl(d·fl(HistBins/w)).
// Both are the exact q = d·HistBins/w times at most two factors of
// (1 ± 2⁻⁵³), and q is below HistBins·(1+2⁻⁵²) as v < hi, so |x − y| <
// 1e-13 (underflow adds at most 1e-300). When y − binSlack and y +
// binSlack truncate to the same integer, x lies between them and
// truncates to it too; otherwise the division decides, as histBin does.

// binSlack is how far y may be from histBin's product, with a wide margin
// over the bound above.
const binSlack = 1e-9

// histScale returns HistBins/(hi−lo) if it is a positive finite number,
// else 0, which sends histBinScaled to the division every time.
func histScale(lo, hi float64) float64 {
	s := HistBins / (hi - lo)
	if !(s > 0 && s <= maxFinite) {
		return 0
	}
	return s
}

// maxFinite is the largest finite float64.
const maxFinite = 1.7976931348623157e308

// histBinScaled is histBin(v, lo, hi), given scale = histScale(lo, hi).
func histBinScaled(v, lo, hi, scale float64) int {
	switch {
	case v < lo:
		return 0
	case !(v < hi):
		return HistBins + 1
	}
	if scale > 0 {
		if y := (v - lo) * scale; y >= 0 && y < 2*HistBins {
			if b := int(y - binSlack); b == int(y+binSlack) {
				return 1 + min(b, HistBins-1)
			}
		}
	}
	return 1 + min(int((v-lo)/(hi-lo)*HistBins), HistBins-1)
}
