package paper

import (
	"fmt"
	"io"
	"math"
)

// WriteSummary writes what a report written to out (the files) holds:
// the figures, tables and corrections, and how the simulations (if any)
// agree with the theory.
func (rep *Report) WriteSummary(w io.Writer, files []string, out string, simulated bool) {
	fmt.Fprintf(w, "wrote %d files to %s (%d figures, %d tables, %d corrections)\n",
		len(files), out, len(rep.Figures), len(rep.Tables), len(rep.Corrections))
	a := rep.Agreement
	if !simulated {
		fmt.Fprintln(w, "simulation: none (theory only)")
		return
	}
	// The counts follow the rule of agreement.go, as the page does.
	fmt.Fprintf(w, "simulation: %d of %d points, %d agree with theory, %d do not, %d not informative (expected hits < %d)",
		a.Simulated, a.Requested, a.Agree, a.Disagree, a.NotInformative, MinExpectedHits)
	if a.ZTested > 0 {
		fmt.Fprintf(w, "; |z| ≤ %d on %d points", ZLimit, a.ZTested)
		if a.MaxAbsZ == math.MaxFloat64 {
			fmt.Fprint(w, " (max |z| undefined)")
		} else {
			fmt.Fprintf(w, " (max |z| = %.2f)", a.MaxAbsZ)
		}
	}
	if a.ExactTested > 0 {
		fmt.Fprintf(w, "; exact binomial test (p ≥ %s) on %d with expected hits < %d (min p = %s)",
			fmtSig(Alpha, 2), a.ExactTested, InformativeHits, fmtSig(a.MinPValue, 2))
	}
	fmt.Fprintln(w)
}
