package paper

import (
	"fmt"
	"io"
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
	fmt.Fprintf(w, "simulation: %d of %d points, %d agree with theory (|z| ≤ %d), %d do not",
		a.Simulated, a.Requested, a.Agree, ZLimit, a.Disagree)
	if a.Simulated > 0 {
		fmt.Fprintf(w, ", max |z| = %.2f", a.MaxAbsZ)
	}
	fmt.Fprintln(w)
}
