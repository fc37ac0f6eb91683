package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ShardTasks returns the number of tasks of r's shard (task j belongs to
// shard j mod Shards).
func (r Result) ShardTasks() int64 {
	k := int64(max(r.Shards, 1))
	if int64(r.Shard) >= r.Tasks {
		return 0
	}
	return (r.Tasks-1-int64(r.Shard))/k + 1
}

// WriteText writes r as the table of 'dendritic simulate': the parameters,
// the counts, the estimate with its standard error and 95 % interval, the
// theory, the z-score, the expected hits and the verdict of the agreement
// rule (verdict.go).
func (r Result) WriteText(w io.Writer) error {
	var b strings.Builder
	ew := &textBuilder{&b}
	ew.printf("%s %s  (%s, seed %d", r.Quantity, r.Params, r.Method, r.Seed)
	if r.Shards > 1 {
		ew.printf(", shard %d/%d", r.Shard, r.Shards)
	}
	ew.printf(")\n")
	if r.Partial {
		ew.printf("PARTIAL      interrupted after %d of %d tasks\n", r.Stats.Tasks, r.ShardTasks())
	}
	ew.printf("samples      %d\n", r.Samples)
	ew.printf("hits         %d\n", r.Hits)
	ew.printf("estimate     %.6g   (± %.2g standard error)\n", r.Estimate, r.StdError)
	ew.printf("ci95         [%.6g, %.6g]\n", r.CI95[0], r.CI95[1])
	if r.Theory == 0 && !r.TheoryValue.IsZero() { // below the float64 range
		ew.printf("theory       %s\n", r.TheoryValue.Text(10))
	} else {
		ew.printf("theory       %.10g\n", r.Theory)
	}
	if r.TheoryPaper != nil {
		ew.printf("theory_paper %.10g   (paper's plug-in of the expected union size)\n", *r.TheoryPaper)
	}
	zNote := ""
	if r.Test == TestExact {
		zNote = fmt.Sprintf("   (not used: fewer than %d expected hits)", InformativeHits)
	}
	if r.Z != nil {
		ew.printf("z            %+.2f%s\n", *r.Z, zNote)
	} else {
		ew.printf("z            undefined (%s)%s\n", r.zUndefined(), zNote)
	}
	if r.ExpectedHits != nil {
		ew.printf("expected     %.4g hits if the theory is right\n", *r.ExpectedHits)
	}
	if r.Verdict != "" {
		ew.printf("verdict      %s\n", r.verdictText())
	}
	if r.DesignEffect > 1 {
		ew.printf("design eff.  %.3f\n", r.DesignEffect)
	}
	ew.printf("seconds      %.3f   (%.3g evaluations/s)\n", r.Seconds, r.EvaluationsPerSecond)
	_, err := io.WriteString(w, b.String())
	return err
}

// verdictText is r's verdict with the test that decided it.
func (r Result) verdictText() string {
	if r.Test != TestExact || r.PValue == nil {
		return fmt.Sprintf("%s (z test: |z| ≤ %d agrees)", r.Verdict, ZLimit)
	}
	why := fmt.Sprintf("exact binomial test, p = %.3g; agrees at p ≥ %.3g", *r.PValue, Alpha)
	if r.Verdict == VerdictNotInformative {
		why += fmt.Sprintf("; under %d expected hit a run can refute the theory, not confirm it", MinExpectedHits)
	}
	return fmt.Sprintf("%s (%s)", r.Verdict, why)
}

// textBuilder builds a text to be written at once.
type textBuilder struct{ b *strings.Builder }

func (t *textBuilder) printf(format string, a ...any) { fmt.Fprintf(t.b, format, a...) }

// ReadResults reads every JSON result in r (a stream of JSON objects, as
// 'simulate --format json' writes them), read from the named source. Unknown
// fields are an error, and so is a stream without results.
func ReadResults(r io.Reader, name string) ([]Result, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var out []Result
	for {
		var res Result
		err := dec.Decode(&res)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: result %d: %v", name, len(out)+1, err)
		}
		if res.Quantity == "" || res.Params.Len() == 0 {
			return nil, fmt.Errorf("%s: result %d is not a simulation result", name, len(out)+1)
		}
		out = append(out, res)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no results", name)
	}
	return out, nil
}

// zUndefined says why r has no z: no sample finished, a theory below the
// float64 range that the estimate exceeds by more than float64 can state,
// or a theory of exactly 0 or 1 that the estimate differs from.
func (r Result) zUndefined() string {
	switch {
	case r.Samples == 0:
		return "no sample finished"
	case r.Theory == 0 && !r.TheoryValue.IsZero():
		return "the theory is below the float64 range and the estimate is far above it"
	}
	return "theory is 0 or 1 and the estimate differs"
}
