package nabreport

// Published is one row of a published NAB scoreboard.
type Published struct {
	Detector string
	// Standard, LowFP and LowFN are the normalised scores as published
	// (text, since some are ranges such as "70.5–69.7").
	Standard, LowFP, LowFN string
	// Sort is the standard score used to order the table (the middle of a
	// range).
	Sort float64
	// Source names where the row comes from.
	Source string
	// Note says what the row is.
	Note string
	// HTM marks the HTM detectors, the like-for-like references.
	HTM bool
}

const (
	srcREADME     = "numenta/NAB README.md, scoreboard (as of NAB v1.0)"
	srcAdditional = "numenta/NAB README.md, \"Additional scores\""
	srcFinal      = "numenta/NAB results/final_results.json at ea702d7"
	srcCommunity  = "htm-community/NAB README.md and results/final_results.json at 08f002e"
)

// Scoreboard is the published NAB v1.1 scoreboard as compiled in the
// project's docs/benchmarks.md §1.4 (every number there is quoted
// with its source; full-precision values are given where
// results/final_results.json has them).
var Scoreboard = []Published{
	{"Perfect", "100.0", "100.0", "100.0", 100, srcREADME, "", false},
	{"ARTime", "74.8538", "65.1540", "80.3623", 74.8538, srcFinal, "Julia detector, added 2022-02 (PR #393)", false},
	{"Numenta HTM (NuPIC 1.0)", "70.5–69.7", "62.6–61.7", "75.2–74.2", 70.1, srcREADME, "range over random seeds; backtracking TM", true},
	{"Numenta HTM, NuPIC v0.5.6 (\"numenta\")", "70.1011", "63.1168", "74.3202", 70.1011, srcFinal, "the Neurocomputing-paper run (results/numenta); backtracking TM, likelihood, spatial-range rule; stored thresholds", true},
	{"CAD OSE (\"contextOSE\")", "69.8996", "66.9771", "73.1817", 69.8996, srcFinal, "2016 NAB competition", false},
	{"HTM Java (\"htmjava\", final_results.json)", "65.5499", "53.2569", "70.4241", 65.5499, srcFinal, "the README's row says 56.8 / 50.7 / 61.4", true},
	{"nab-comportex (Clojure HTM)", "64.6", "58.8", "69.6", 64.6, srcAdditional, "", true},
	{"NumentaTM HTM (\"numentaTM\")", "64.5535", "56.6653", "69.1851", 64.5535, srcFinal, "standard TemporalMemory (nupic.core), the like-for-like reference for this detector; stored thresholds (sweep: 64.5535 / 56.6653 / 69.3761)", true},
	{"htm.core (\"htmcore\")", "63.0814", "58.7931", "66.1922", 63.0814, srcCommunity, "htm.core with the NuPIC-style likelihood; like-for-like reference", true},
	{"earthgecko Skyline", "58.2002", "46.1953", "63.8001", 58.2002, srcFinal, "", false},
	{"KNN CAD", "57.9943", "43.4085", "64.8123", 57.9943, srcFinal, "2016 competition", false},
	{"HTM Java (README row)", "56.8", "50.7", "61.4", 56.8, srcAdditional, "", true},
	{"Relative Entropy", "54.6427", "47.5984", "58.8423", 54.6427, srcFinal, "", false},
	{"Numenta HTM, no likelihood (raw anomaly score)", "53.62", "34.15", "61.89", 53.62, srcAdditional, "backtracking TM", true},
	{"Random Cut Forest (AWS)", "51.7171", "38.3608", "59.7488", 51.7171, srcFinal, "proprietary implementation", false},
	{"threshold (spatial-range rule only)", "50.8295", "49.9459", "52.5645", 50.8295, srcCommunity, "", false},
	{"Twitter ADVec v1.0.0", "47.0620", "33.6101", "53.5011", 47.0620, srcFinal, "", false},
	{"Windowed Gaussian", "39.6495", "20.8680", "47.4100", 39.6495, srcFinal, "", false},
	{"Etsy Skyline", "35.6870", "27.0812", "44.4810", 35.6870, srcFinal, "", false},
	{"Bayesian Changepoint", "17.7", "3.2", "32.2", 17.7, srcREADME, "", false},
	{"Random (one seed, final_results.json)", "16.8318", "5.7637", "25.8764", 16.8318, srcFinal, "README: 11.0 / 1.2 / 19.5, mean over seeds", false},
	{"EXPoSE", "16.4367", "3.1909", "26.9209", 16.4367, srcFinal, "", false},
	{"Null", "0.0", "0.0", "0.0", 0, srcREADME, "", false},
}
