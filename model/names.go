package model

// Names that become file names.
//
// A run writes its files into OUT/NAME/ (NAME-shard-K-of-N/ for a shard,
// NAME-COMMAND/ for an analysis, with NAME_calibrated.yaml in it), and
// draws a chart per track (occupancy_TRACK.EXT) and per state it is asked
// about (first_entry_TRACK_STATE.EXT); the analyses draw one per outcome
// (tornado_OUTCOME.EXT, sweep_OUTCOME.EXT, sobol_OUTCOME.EXT). Those names
// are checked when the scenario compiles, so that validate and the start
// of run refuse a scenario whose files could not be written after the
// simulation has run:
//
//   - every such file or folder name is at most MaxFileNameBytes bytes;
//   - no two charts of a run have the same file name (track a_b with state
//     c and track a with state b_c would both draw first_entry_a_b_c).
//
// Names are identifiers (ASCII letters, digits and _), so they need no
// escaping and their length in bytes is their length in characters.

// MaxFileNameBytes is the longest file or folder name a scenario's names
// may produce: the 255 bytes most file systems allow in one name (ext4,
// XFS, APFS, NTFS), less 32 for what writers add around it (a leading dot,
// ".tmp-" and random digits of a temporary name).
const MaxFileNameBytes = 255 - 32

// longestChartExt is the longest chart file extension: .png, .svg, .pdf.
const longestChartExt = len(".png")

// checkFileNames checks the names of raw that become file names (see
// above), reporting each problem at the name. Names that are not valid
// identifiers are reported elsewhere and skipped here.
func checkFileNames(raw *rawScenario, errs *ErrorList) {
	check := func(t text, what, file string) {
		if n := len(file); n > MaxFileNameBytes {
			errs.Add(t.Pos, t.lineAt(t.Pos), "%s %s is too long: the file or folder %s would have %d bytes (at most %d)",
				what, abbreviate(t.S), abbreviate(file), n, MaxFileNameBytes)
		}
	}
	if identRE.MatchString(raw.name.S) {
		// The longest folder named after it: a shard's (longer than
		// NAME-calibrate/ and NAME_calibrated.yaml).
		check(raw.name, "the scenario name", raw.name.S+"-shard-99999-of-100000")
	}
	charts := map[string]string{} // chart file stem → what draws it
	for _, tr := range raw.tracks {
		if !identRE.MatchString(tr.name.S) {
			continue
		}
		check(tr.name, "track name", "occupancy_"+tr.name.S+".png")
		for _, st := range tr.states {
			if !identRE.MatchString(st.name.S) {
				continue
			}
			stem := "first_entry_" + tr.name.S + "_" + st.name.S
			if n := len(stem) + longestChartExt; n > MaxFileNameBytes {
				errs.Add(st.name.Pos, st.name.lineAt(st.name.Pos), "state %s.%s: its chart %s.png would have %d bytes (at most %d): shorten the track or the state name",
					abbreviate(tr.name.S), abbreviate(st.name.S), abbreviate(stem), n, MaxFileNameBytes)
				continue
			}
			what := "state " + tr.name.S + "." + st.name.S
			if prev, dup := charts[stem]; dup && prev != what {
				errs.Add(st.name.Pos, st.name.lineAt(st.name.Pos), "%s and %s would both draw the chart %s.png: rename one", prev, what, stem)
			}
			charts[stem] = what
		}
	}
	for _, o := range raw.outcomes {
		if identRE.MatchString(o.name.S) {
			check(o.name, "outcome name", "tornado_"+o.name.S+".png")
		}
	}
}

// abbreviate shortens a long name for a message: its first 40 bytes and
// "…".
func abbreviate(s string) string {
	if len(s) <= 60 {
		return s
	}
	return s[:40] + "…"
}
