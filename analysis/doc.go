// Package analysis holds scensim's uncertainty and sensitivity analyses:
// parameter sweeps, one-way (tornado) sensitivity, probabilistic
// sensitivity analysis (PSA) with Monte Carlo or Latin hypercube sampling,
// variance-based global sensitivity (Sobol indices) and calibration to
// target probabilities.
//
// Every analysis is built on the engine's counter-based randomness: a
// trial's random numbers are a pure function of (seed, trial index, name of
// the drawing element), so runs of the same scenario with different param
// values over the same trial indices are paired, or use common random
// numbers (CRN): they differ only where the param change makes them differ.
// Curves over a sweep are smooth, differences between arms are estimated far
// more precisely than the arms themselves, and the calibration objective is
// a deterministic, nearly smooth function of the params.
//
// Methods (see docs/analyses.md):
//
//   - Sweep: one compiled plan per grid point (the point's values as
//     overrides), each run with the same seed and trial indices. Each
//     point's estimate has its Wilson 95% interval.
//   - Tornado: for each param, the scenario with the param at its low and at
//     its high value (its range:, or ±pct of its value), run side by side
//     with the base over the same trials (sim.Trialer in lockstep). The
//     swing P(high) − P(low) and the effects P(low) − P(base), P(high) −
//     P(base) get paired 95% intervals: for an unconditional outcome
//     Newcombe's hybrid score interval for paired proportions (Newcombe
//     1998, Statistics in Medicine 17:2635–2650, method 10, with the
//     corrected phi of Altman et al. 2000, Statistics with Confidence, p. 52);
//     for a conditional outcome the delta method for the difference of two
//     paired ratio estimators (Cochran 1977, Sampling Techniques, §6.4).
//   - Latin hypercube sampling (McKay, Beckman & Conover 1979,
//     Technometrics 21:239–245): for each sampled param, trial i of N takes
//     the quantile at u = (π(i) + v)/N, where π is a pseudo-random
//     permutation of 0..N−1 (a keyed Feistel network with cycle walking,
//     Black & Rogaway 2002, "Ciphers with arbitrary finite domains") and v a
//     uniform jitter, both pure functions of (seed, param, i).
//   - PSA: nested Monte Carlo. M outer draws θ_m of the sampled params, K
//     inner trials each; P̂_m = hits/K estimates P(outcome | θ_m). The
//     spread of P(outcome | θ) is estimated with the inner binomial noise
//     removed: Var_θ = S²(P̂_m) − mean(P̂_m(1 − P̂_m)/(K − 1)) (the one-way
//     ANOVA estimator of O'Hagan, Stevenson & Madan 2007, Health Economics
//     16:1009–1023), and the percentiles are those of the P̂_m shrunk
//     towards their mean by sqrt(Var_θ / S²), which matches that variance.
//     Monte Carlo errors come from a bootstrap over the outer draws.
//   - Sobol indices: the Saltelli (2010) design (matrices A, B and AB_i,
//     Computer Physics Communications 181:259–270), first-order indices by
//     the estimator of Saltelli et al. (2010) and total indices by Jansen
//     (1999, Computer Physics Communications 117:35–43), as in SALib, with
//     bootstrap percentile intervals (Efron & Tibshirani 1993). The model
//     output of a row is P̂(outcome | θ) over K inner trials that share their
//     random numbers across the row's matrices (CRN); every product of two
//     outputs in the estimators is replaced by its unbiased estimate
//     p̂_X·p̂_Y − ĉ_XY/K, with ĉ_XY the within-row sample covariance of the
//     trial indicators, so the inner noise adds variance but no bias to the
//     numerators and to V (the ratio keeps an O(1/N) bias).
//   - Calibration: minimise Σ_t (logit p̂_t(x) − logit target_t)² over the
//     varied params within their ranges, p̂ from a fixed-seed run (so the
//     objective is a deterministic function of x): bisection for one param
//     and one target, else Nelder–Mead (gonum/optimize) on x = lo + (hi −
//     lo)·logistic(z). The result is checked by an independent run (another
//     seed, more trials), and the Monte Carlo standard error of the
//     calibrated values comes from the Gauss–Newton sandwich with a CRN
//     finite-difference Jacobian.
package analysis
