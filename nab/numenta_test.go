package nab

// Reproduction of Numenta's published NAB v1.1 results for the "numenta"
// detector (NuPIC HTM, results/numenta.tar.gz of numenta/NAB at ea702d7),
// see docs/benchmarks.md §1.3–1.4 in the shared folder.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// numentaScores loads the corpus and Numenta's results into a Scorer.
func numentaScores(t testing.TB) (*Corpus, map[string][]float64, *Scorer) {
	t.Helper()
	dir := numentaResults(t)
	c := loadCorpus(t)
	scores, err := LoadResults(dir, "numenta", c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewScorer(c, scores)
	if err != nil {
		t.Fatal(err)
	}
	return c, scores, s
}

// round4 rounds to the 4 decimals quoted in benchmarks.md.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func TestNumentaPublishedThresholds(t *testing.T) {
	root := nabRoot(t)
	_, _, s := numentaScores(t)
	th, err := LoadThresholds(filepath.Join(root, "config", "thresholds.json"))
	if err != nil {
		t.Fatal(err)
	}
	// results/final_results.json: the published normalised scores.
	var final map[string]map[string]float64
	data, err := os.ReadFile(filepath.Join(root, "results", "final_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &final); err != nil {
		t.Fatal(err)
	}
	// Raw scores stored next to the thresholds in config/thresholds.json.
	var rawStored map[string]map[string]struct{ Score float64 }
	data, err = os.ReadFile(filepath.Join(root, "config", "thresholds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rawStored); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"standard": 70.1011, "reward_low_FP_rate": 63.1168, "reward_low_FN_rate": 74.3202}
	for _, p := range Profiles {
		θ, ok := th["numenta"][p.Name]
		if !ok {
			t.Fatalf("thresholds.json: no numenta/%s", p.Name)
		}
		r, err := s.Score(p, θ)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-18s θ=%.16g raw=%.12f NAB=%.4f", p.Name, θ, r.Raw, r.Normalized)
		if got := round4(r.Normalized); got != want[p.Name] {
			t.Errorf("%s: normalised %.6f, want %.4f", p.Name, r.Normalized, want[p.Name])
		}
		if d := math.Abs(r.Normalized - final["numenta"][p.Name]); d > 1e-9 {
			t.Errorf("%s: normalised %.12f, final_results.json %.12f", p.Name, r.Normalized, final["numenta"][p.Name])
		}
		if d := math.Abs(r.Raw - rawStored["numenta"][p.Name].Score); d > 1e-9 {
			t.Errorf("%s: raw %.12f, thresholds.json %.12f", p.Name, r.Raw, rawStored["numenta"][p.Name].Score)
		}
		if r.Null != -p.FNWeight*116 || r.Perfect != p.TPWeight*116 {
			t.Errorf("%s: null %v perfect %v", p.Name, r.Null, r.Perfect)
		}
		checkScoreTable(t, r, filepath.Join(numentaResults(t), "numenta", "numenta_"+p.Name+"_scores.csv"))
	}
}

// checkScoreTable compares every per-file row with Numenta's stored table
// (Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count). The stored
// numbers have 12 significant digits. Total_Count is the full file length
// (NAB's pre-2019 scorer), while our counts cover the rows after P.
func checkScoreTable(t *testing.T, r *Result, path string) {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Logf("%s not in the tarball; per-file rows not compared", path)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string]FileScore{}
	for _, fs := range r.Files {
		byFile[fs.File] = fs
	}
	c := loadCorpus(t)
	seen, maxDev := 0, 0.0
	for _, rec := range recs[1:] {
		if rec[0] == "Totals" {
			continue
		}
		num := func(i int) float64 {
			x, err := strconv.ParseFloat(rec[i], 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			return x
		}
		name := rec[2]
		got, ok := byFile[name]
		if !ok {
			t.Errorf("%s: file %s not scored", path, name)
			continue
		}
		seen++
		if rec[1] != r.Profile.Name {
			t.Errorf("%s: profile %s", path, rec[1])
		}
		if d := math.Abs(num(3) - r.Threshold); d > 1e-11 {
			t.Errorf("%s: threshold %s vs %v", name, rec[3], r.Threshold)
		}
		d := math.Abs(num(4) - got.Score)
		maxDev = math.Max(maxDev, d)
		if d > 1e-11*math.Max(1, math.Abs(got.Score)) {
			t.Errorf("%s %s: score %.12g, stored %s", r.Profile.Name, name, got.Score, rec[4])
		}
		counts := [4]int{got.TP, got.TN, got.FP, got.FN}
		for j, c := range counts {
			if float64(c) != num(5+j) {
				t.Errorf("%s %s: TP,TN,FP,FN = %v, stored %v", r.Profile.Name, name, counts, rec[5:9])
				break
			}
		}
		file := c.File(name)
		if int(num(9)) != file.Len() {
			t.Errorf("%s: Total_Count %s, file has %d rows", name, rec[9], file.Len())
		}
		if n := got.TP + got.TN + got.FP + got.FN; n != file.Len()-file.Probation() {
			t.Errorf("%s: counts sum to %d, want N−P = %d", name, n, file.Len()-file.Probation())
		}
	}
	if seen != len(r.Files) {
		t.Errorf("%s: %d rows for %d files", path, seen, len(r.Files))
	}
	t.Logf("%s: %d per-file rows match; largest |ΔScore| = %.2g", filepath.Base(path), seen, maxDev)
}

func TestNumentaSweep(t *testing.T) {
	_, _, s := numentaScores(t)
	// benchmarks.md §1.3 caveat 1: re-optimised with the sweep.
	want := map[string]float64{"standard": 70.1011, "reward_low_FP_rate": 63.2092, "reward_low_FN_rate": 74.3202}
	for _, p := range Profiles {
		r, err := s.Sweep(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-18s θ*=%.16g raw=%.12f NAB=%.4f", p.Name, r.Threshold, r.Raw, r.Normalized)
		if got := round4(r.Normalized); got != want[p.Name] {
			t.Errorf("%s: swept %.6f, want %.4f", p.Name, r.Normalized, want[p.Name])
		}
		// The sweep's incremental total agrees with the direct score, and no
		// candidate beats it.
		curve, err := s.Curve(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, pt := range curve {
			if pt.Raw > r.Raw+1e-9 {
				t.Errorf("%s: θ=%v scores %v > optimum %v", p.Name, pt.Threshold, pt.Raw, r.Raw)
			}
			if pt.Threshold == r.Threshold {
				if math.Abs(pt.Raw-r.Raw) > 1e-9 || pt.TP != r.TP || pt.FP != r.FP || pt.TN != r.TN || pt.FN != r.FN {
					t.Errorf("%s: curve point %+v, direct %v %d %d %d %d", p.Name, pt, r.Raw, r.TP, r.TN, r.FP, r.FN)
				}
			}
		}
	}
}

// TestNumentaNullPerfect: on the real corpus a null detector (all 0) scores
// 0 and a perfect detector (1 at the first row of each window) scores 100,
// under every profile, both swept and at the stored thresholds.
func TestNumentaNullPerfect(t *testing.T) {
	c := loadCorpus(t)
	null := map[string][]float64{}
	perfect := map[string][]float64{}
	for _, f := range c.Files {
		null[f.Name] = make([]float64, f.Len())
		a := make([]float64, f.Len())
		for _, w := range f.Windows {
			a[w.Start] = 1
		}
		perfect[f.Name] = a
	}
	for _, tc := range []struct {
		name   string
		scores map[string][]float64
		want   float64
	}{{"null", null, 0}, {"perfect", perfect, 100}} {
		s, err := NewScorer(c, tc.scores)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range Profiles {
			r, err := s.Sweep(p)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(r.Normalized-tc.want) > 1e-9 {
				t.Errorf("%s %s: swept %v (θ=%v), want %v", tc.name, p.Name, r.Normalized, r.Threshold, tc.want)
			}
		}
	}
}

// TestCorpusInventory checks the loaded corpus against the per-file inventory
// of benchmarks.md §1.1 (rows, P, windows as 0-based row indices).
func TestCorpusInventory(t *testing.T) {
	c := loadCorpus(t)
	if len(c.Files) != len(inventory) {
		t.Fatalf("%d files, want %d", len(c.Files), len(inventory))
	}
	if c.NumRows() != 365558 || c.NumWindows() != 116 {
		t.Errorf("rows %d windows %d, want 365558 and 116", c.NumRows(), c.NumWindows())
	}
	for _, inv := range inventory {
		f := c.File(inv.name)
		if f == nil {
			t.Errorf("%s missing", inv.name)
			continue
		}
		if f.Len() != inv.rows || f.Probation() != inv.p {
			t.Errorf("%s: rows %d P %d, want %d %d", inv.name, f.Len(), f.Probation(), inv.rows, inv.p)
		}
		if fmt.Sprint(f.Windows) != fmt.Sprint(inv.windows) {
			t.Errorf("%s: windows %v, want %v", inv.name, f.Windows, inv.windows)
		}
	}
	// The 2014-03-09 03:00:00 DST repeat (12 rows) in ec2_disk_write_bytes_1ef3de.
	f := c.File("realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv")
	dst := time.Date(2014, 3, 9, 3, 0, 0, 0, time.UTC)
	n := 0
	for _, ts := range f.Timestamps {
		if ts.Equal(dst) {
			n++
		}
	}
	if n != 12 {
		t.Errorf("ec2_disk_write_bytes_1ef3de: %d rows at %s, want 12", n, dst)
	}
	// The backwards jump in machine_temperature_system_failure.
	f = c.File("realKnownCause/machine_temperature_system_failure.csv")
	back := 0
	for i := 1; i < f.Len(); i++ {
		if f.Timestamps[i].Before(f.Timestamps[i-1]) {
			back++
		}
	}
	if back != 1 {
		t.Errorf("machine_temperature_system_failure: %d backward steps, want 1", back)
	}
}

func TestLoadCorpusTiny(t *testing.T) {
	root := nabRoot(t)
	c, err := LoadCorpusWindows(root, filepath.Join(root, "labels", "combined_windows_tiny.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 2 || c.File("realKnownCause/nyc_taxi.csv") == nil {
		t.Errorf("tiny corpus: %d files", len(c.Files))
	}
}

func TestProfilesFile(t *testing.T) {
	root := nabRoot(t)
	ps, err := LoadProfiles(filepath.Join(root, "config", "profiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ps) != fmt.Sprint(Profiles) {
		t.Errorf("profiles.json = %v, want %v", ps, Profiles)
	}
}

// BenchmarkSweep: the threshold sweep over the whole corpus with Numenta's
// results — sorting the scorable rows once, then sweeping all three profiles.
func BenchmarkSweep(b *testing.B) {
	c, scores, _ := numentaScores(b)
	b.Run("sort+3profiles", func(b *testing.B) {
		for b.Loop() {
			s, err := NewScorer(c, scores)
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range Profiles {
				if _, err := s.Sweep(p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	s, err := NewScorer(c, scores)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("1profile", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Sweep(Standard); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoad: reading the corpus and Numenta's results from disk.
func BenchmarkLoad(b *testing.B) {
	root := nabRoot(b)
	dir := numentaResults(b)
	for b.Loop() {
		c, err := LoadCorpus(root)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := LoadResults(dir, "numenta", c); err != nil {
			b.Fatal(err)
		}
	}
}

type inventoryRow struct {
	name    string
	rows, p int
	windows []Window
}

// inventory is the per-file table of benchmarks.md §1.1.
var inventory = []inventoryRow{
	{"artificialNoAnomaly/art_daily_no_noise.csv", 4032, 604, []Window{}},
	{"artificialNoAnomaly/art_daily_perfect_square_wave.csv", 4032, 604, []Window{}},
	{"artificialNoAnomaly/art_daily_small_noise.csv", 4032, 604, []Window{}},
	{"artificialNoAnomaly/art_flatline.csv", 4032, 604, []Window{}},
	{"artificialNoAnomaly/art_noisy.csv", 4032, 604, []Window{}},
	{"artificialWithAnomaly/art_daily_flatmiddle.csv", 4032, 604, []Window{{2679, 3081}}},
	{"artificialWithAnomaly/art_daily_jumpsdown.csv", 4032, 604, []Window{{2787, 3189}}},
	{"artificialWithAnomaly/art_daily_jumpsup.csv", 4032, 604, []Window{{2787, 3189}}},
	{"artificialWithAnomaly/art_daily_nojump.csv", 4032, 604, []Window{{2787, 3189}}},
	{"artificialWithAnomaly/art_increase_spike_density.csv", 4032, 604, []Window{{1805, 2207}}},
	{"artificialWithAnomaly/art_load_balancer_spikes.csv", 4032, 604, []Window{{2734, 3136}}},
	{"realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv", 4032, 604, []Window{{3447, 3647}, {3677, 3877}}},
	{"realAWSCloudwatch/ec2_cpu_utilization_53ea38.csv", 4032, 604, []Window{{1396, 1596}, {2559, 2759}}},
	{"realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv", 4032, 604, []Window{{1171, 1371}, {2830, 3030}}},
	{"realAWSCloudwatch/ec2_cpu_utilization_77c1ca.csv", 4032, 604, []Window{{1765, 2167}}},
	{"realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv", 4032, 604, []Window{{1526, 1868}}},
	{"realAWSCloudwatch/ec2_cpu_utilization_ac20cd.csv", 4032, 604, []Window{{3374, 3776}}},
	{"realAWSCloudwatch/ec2_cpu_utilization_c6585a.csv", 4032, 604, []Window{}},
	{"realAWSCloudwatch/ec2_cpu_utilization_fe7f93.csv", 4032, 604, []Window{{698, 832}, {2064, 2198}, {2535, 2669}}},
	{"realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv", 4730, 709, []Window{{2399, 2871}}},
	{"realAWSCloudwatch/ec2_disk_write_bytes_c0d644.csv", 4032, 604, []Window{{1794, 1928}, {2239, 2373}, {2964, 3098}}},
	{"realAWSCloudwatch/ec2_network_in_257a54.csv", 4032, 604, []Window{{1437, 1839}}},
	{"realAWSCloudwatch/ec2_network_in_5abac7.csv", 4730, 709, []Window{{2490, 2726}, {3091, 3327}}},
	{"realAWSCloudwatch/elb_request_count_8c0756.csv", 4032, 604, []Window{{683, 883}, {3582, 3782}}},
	{"realAWSCloudwatch/grok_asg_anomaly.csv", 4621, 693, []Window{{1177, 1331}, {1492, 1646}, {3676, 3830}}},
	{"realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv", 1243, 186, []Window{{218, 280}, {308, 370}}},
	{"realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv", 4032, 604, []Window{{2980, 3180}, {3479, 3679}}},
	{"realAWSCloudwatch/rds_cpu_utilization_e47b3b.csv", 4032, 604, []Window{{846, 1046}, {2485, 2685}}},
	{"realAdExchange/exchange-2_cpc_results.csv", 1624, 243, []Window{{244, 406}}},
	{"realAdExchange/exchange-2_cpm_results.csv", 1624, 243, []Window{{565, 645}, {934, 1014}}},
	{"realAdExchange/exchange-3_cpc_results.csv", 1538, 230, []Window{{271, 321}, {413, 463}, {952, 1002}}},
	{"realAdExchange/exchange-3_cpm_results.csv", 1538, 230, []Window{{1045, 1197}}},
	{"realAdExchange/exchange-4_cpc_results.csv", 1643, 246, []Window{{340, 394}, {749, 803}, {1249, 1303}}},
	{"realAdExchange/exchange-4_cpm_results.csv", 1643, 246, []Window{{347, 387}, {729, 769}, {1256, 1296}, {1381, 1421}}},
	{"realKnownCause/ambient_temperature_system_failure.csv", 7267, 750, []Window{{3540, 3902}, {5999, 6361}}},
	{"realKnownCause/cpu_utilization_asg_misconfiguration.csv", 18050, 750, []Window{{16551, 18049}}},
	{"realKnownCause/ec2_request_latency_system_failure.csv", 4032, 604, []Window{{2014, 2148}, {3328, 3462}, {3956, 4031}}},
	{"realKnownCause/machine_temperature_system_failure.csv", 22695, 750, []Window{{2126, 2692}, {3703, 4269}, {16057, 16623}, {19232, 19798}}},
	{"realKnownCause/nyc_taxi.csv", 10320, 750, []Window{{5839, 6045}, {7080, 7286}, {8423, 8629}, {8731, 8937}, {9977, 10183}}},
	{"realKnownCause/rogue_agent_key_hold.csv", 1882, 282, []Window{{669, 763}, {1240, 1334}}},
	{"realKnownCause/rogue_agent_key_updown.csv", 5315, 750, []Window{{2243, 2507}, {2877, 3141}}},
	{"realTraffic/TravelTime_387.csv", 2500, 375, []Window{{387, 469}, {948, 1030}, {1485, 1567}}},
	{"realTraffic/TravelTime_451.csv", 2162, 324, []Window{{438, 654}}},
	{"realTraffic/occupancy_6005.csv", 2380, 357, []Window{{1645, 1883}}},
	{"realTraffic/occupancy_t4013.csv", 2500, 375, []Window{{2087, 2211}, {2335, 2459}}},
	{"realTraffic/speed_6005.csv", 2500, 375, []Window{{2261, 2499}}},
	{"realTraffic/speed_7578.csv", 1127, 169, []Window{{303, 331}, {740, 768}, {909, 937}, {945, 973}}},
	{"realTraffic/speed_t4013.csv", 2495, 374, []Window{{2084, 2208}, {2335, 2459}}},
	{"realTweets/Twitter_volume_AAPL.csv", 15902, 750, []Window{{1235, 1631}, {2920, 3316}, {4761, 5157}, {9087, 9483}}},
	{"realTweets/Twitter_volume_AMZN.csv", 15831, 750, []Window{{1796, 2190}, {3538, 3932}, {9598, 9992}, {11409, 11803}}},
	{"realTweets/Twitter_volume_CRM.csv", 15902, 750, []Window{{2872, 3402}, {5800, 6330}, {7768, 8298}}},
	{"realTweets/Twitter_volume_CVS.csv", 15853, 750, []Window{{1462, 2193}, {7775, 8171}, {13349, 13745}}},
	{"realTweets/Twitter_volume_FB.csv", 15833, 750, []Window{{4614, 5404}, {9926, 10716}}},
	{"realTweets/Twitter_volume_GOOG.csv", 15842, 750, []Window{{4106, 4743}, {6728, 7124}, {9399, 9795}}},
	{"realTweets/Twitter_volume_IBM.csv", 15893, 750, []Window{{6812, 7606}, {14848, 15642}}},
	{"realTweets/Twitter_volume_KO.csv", 15851, 750, []Window{{5970, 6498}, {11568, 12096}, {13190, 13718}}},
	{"realTweets/Twitter_volume_PFE.csv", 15858, 750, []Window{{950, 1346}, {1396, 1792}, {4101, 4497}, {11346, 11742}}},
	{"realTweets/Twitter_volume_UPS.csv", 15866, 750, []Window{{1027, 1343}, {1443, 1759}, {1782, 2098}, {7289, 7605}, {8707, 9023}}},
}
