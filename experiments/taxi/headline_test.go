package taxi

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/dendritic/dendritic/internal/shareddata"
)

// TestHeadline runs the NYC-taxi forecast with its default parameters and
// checks the NRMSE and MAPE that README.md prints ("reports NRMSE and MAPE
// from step 10,000 on: 0.313 / 0.084"), to half a unit of the last printed
// digit. The run is deterministic; a change that moves a number must
// update the README with it.
func TestHeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole taxi series: skipped in -short mode")
	}
	path := shareddata.Path(t, "data", "nyc_taxi", "nyc_taxi.csv")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`NRMSE and MAPE\s+from step 10,000 on: ([0-9.]+) / ([0-9.]+)`).FindSubmatch(readme)
	if m == nil {
		t.Fatal(`README.md no longer says "NRMSE and MAPE from step 10,000 on: X / Y"`)
	}
	wantNRMSE, _ := strconv.ParseFloat(string(m[1]), 64)
	wantMAPE, _ := strconv.ParseFloat(string(m[2]), 64)
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(d, DefaultParams(), Skip)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.NRMSE-wantNRMSE) > 0.0005 || math.Abs(r.MAPE-wantMAPE) > 0.0005 {
		t.Errorf("NRMSE %.4f, MAPE %.4f; README says %.3f / %.3f", r.NRMSE, r.MAPE, wantNRMSE, wantMAPE)
	}
}
