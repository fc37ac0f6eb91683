package htmdetect

import (
	"reflect"
	"testing"

	"github.com/dendritic/dendritic/htm/spatial"
)

// TestPresets checks the NAB presets against docs/benchmarks.md §1.5.
func TestPresets(t *testing.T) {
	// Constant file: range padded to [5, 6], resolution max(0.001, 1/130).
	if p := NumentaRDSEParams(5, 5); p.Resolution != 1.0/130 || p.Size != 400 || p.ActiveBits != 21 || p.Seed != 42 {
		t.Errorf("constant file: %+v", p)
	}
	// Tiny range: the 0.001 floor.
	if p := NumentaRDSEParams(0, 0.01); p.Resolution != 0.001 {
		t.Errorf("tiny range: %+v", p)
	}
	// [0, 100] padded by 20 % to [−20, 120]: resolution 140/130.
	if p := NumentaRDSEParams(0, 100); p.Resolution != 140.0/130 {
		t.Errorf("[0, 100]: %+v", p)
	}
	p := NumentaLikelihoodParams(604) // the probationary period of a 4032-row NAB file
	if p.LearningPeriod != 302 || p.EstimationSamples != 302 || p.HistoricWindowSize != 8640 ||
		p.ReestimationPeriod != 100 || p.AveragingWindow != 10 {
		t.Errorf("NumentaLikelihoodParams(604) = %+v", p)
	}
	if p := NumentaLikelihoodParams(1); p.LearningPeriod != 0 || p.EstimationSamples != 1 {
		t.Errorf("NumentaLikelihoodParams(1) = %+v", p)
	}
	sp := NumentaSpatialParams(454)
	if sp.PotentialRadius != 454 || sp.PotentialPct != 0.8 || sp.NumActiveColumnsPerInhArea != 40 ||
		sp.SynPermConnected != 0.2 || sp.Seed != 1956 || sp.InitPermanence != spatial.InitUniform {
		t.Errorf("NumentaSpatialParams(454) = %+v", sp)
	}
	if _, err := spatial.New(sp); err != nil {
		t.Errorf("NumentaSpatialParams(454) rejected: %v", err)
	}
	if d := NumentaDateParams(); !reflect.DeepEqual(d, NumentaDateParams()) || d.TimeOfDayWidth != 21 || d.TimeOfDayRadius != 9.49 {
		t.Errorf("NumentaDateParams() = %+v", d)
	}
}
