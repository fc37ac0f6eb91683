package art

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// TestLearnByHand follows four inputs through a two-feature network with
// ρ = 0.75, α = 0.001, fast learning; every expected number is worked out
// in the comments from the formulas of the package doc.
func TestLearnByHand(t *testing.T) {
	n, err := NewNetwork(NetworkParams{Dim: 2, Vigilance: 0.75, Choice: 0.001, Learning: 1})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		x       []float64
		want    Result
		weights [][]float64 // every category after the step
	}{
		// The first input creates category 0 = I = (0.2, 0.8, 0.8, 0.2);
		// with no category, the novelty is 1.
		{[]float64{0.2, 0.8}, Result{Category: 0, Created: true, Match: 1, Novelty: 1},
			[][]float64{{0.2, 0.8, 0.8, 0.2}}},
		// I = (0.3, 0.7, 0.7, 0.3); I ∧ w_0 = (0.2, 0.7, 0.7, 0.2), 1.8:
		// match 0.9 ≥ 0.75, novelty (2 − 1.8)/2 = 0.1; w_0 becomes I ∧ w_0,
		// the box [0.2, 0.3] × [0.7, 0.8].
		{[]float64{0.3, 0.7}, Result{Category: 0, Match: 0.9, Novelty: 0.1},
			[][]float64{{0.2, 0.7, 0.7, 0.2}}},
		// I = (0.9, 0.1, 0.1, 0.9); I ∧ w_0 = (0.2, 0.1, 0.1, 0.2), 0.6:
		// match 0.3 < 0.75, so a new category; novelty (1.8 − 0.6)/2 = 0.6.
		{[]float64{0.9, 0.1}, Result{Category: 1, Created: true, Match: 1, Novelty: 0.6},
			[][]float64{{0.2, 0.7, 0.7, 0.2}, {0.9, 0.1, 0.1, 0.9}}},
		// (0.25, 0.75) lies in box 0: I ∧ w_0 = w_0, 1.8, match 0.9,
		// novelty 0; category 1 matches (0.25+0.1+0.1+0.25)/2 = 0.35 < ρ.
		// Category 0 learns and does not change.
		{[]float64{0.25, 0.75}, Result{Category: 0, Match: 0.9, Novelty: 0},
			[][]float64{{0.2, 0.7, 0.7, 0.2}, {0.9, 0.1, 0.1, 0.9}}},
	}
	for i, s := range steps {
		got, err := n.Learn(s.x)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got.Category != s.want.Category || got.Created != s.want.Created || got.Full ||
			!near(got.Match, s.want.Match) || !near(got.Novelty, s.want.Novelty) {
			t.Errorf("step %d: %+v, want %+v", i, got, s.want)
		}
		if n.Categories() != len(s.weights) {
			t.Fatalf("step %d: %d categories, want %d", i, n.Categories(), len(s.weights))
		}
		for j, w := range s.weights {
			for k, v := range n.Weights(j) {
				if !near(v, w[k]) {
					t.Errorf("step %d: category %d weights %v, want %v", i, j, n.Weights(j), w)
					break
				}
			}
		}
	}
}

// TestChoicePrefersSmallestBox: an input inside two boxes has I ∧ w_j = w_j
// for both, so T_j = |w_j|/(α + |w_j|), larger for the larger |w_j|, i.e.
// the smaller box; ρ = 0 lets both pass vigilance.
func TestChoicePrefersSmallestBox(t *testing.T) {
	n, err := NewNetwork(NetworkParams{Dim: 1, Vigilance: 0, Choice: 0.001, Learning: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Category 0 grows to the box [0, 1] (it takes 0, then 1); vigilance
	// 0 sends every later input to an existing category, so category 1 is
	// made by hand: a network with ρ = 0 would never create it.
	for _, x := range []float64{0, 1} {
		if _, err := n.Learn([]float64{x}); err != nil {
			t.Fatal(err)
		}
	}
	n.w = append(n.w, 0.4, 0.5) // the box [0.4, 0.5]
	n.size = append(n.size, 0.9)
	r, err := n.Learn([]float64{0.45})
	if err != nil {
		t.Fatal(err)
	}
	if r.Category != 1 || r.Novelty != 0 {
		t.Errorf("input 0.45: %+v, want category 1 (the box [0.4, 0.5]) with novelty 0", r)
	}
}

// TestSlowLearning: with β = 0.5, w ← 0.5(I ∧ w) + 0.5w; ρ = 0 sends the
// second input to the first input's category.
func TestSlowLearning(t *testing.T) {
	n, err := NewNetwork(NetworkParams{Dim: 1, Vigilance: 0, Choice: 0.001, Learning: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{0.2, 0.6} {
		if _, err := n.Learn([]float64{x}); err != nil {
			t.Fatal(err)
		}
	}
	// w = (0.2, 0.8); I = (0.6, 0.4); I ∧ w = (0.2, 0.4);
	// w ← 0.5·(0.2, 0.4) + 0.5·(0.2, 0.8) = (0.2, 0.6).
	if w := n.Weights(0); !near(w[0], 0.2) || !near(w[1], 0.6) {
		t.Errorf("weights %v, want [0.2 0.6]", w)
	}
}

// TestBoxesHoldTheirInputs: with fast learning every input a category
// learned lies in its box, the box's total edge length is at most
// Dim·(1 − ρ) (the package doc), and the novelty of a learned input is 0.
func TestBoxesHoldTheirInputs(t *testing.T) {
	const dim, ρ = 4, 0.8
	n, err := NewNetwork(NetworkParams{Dim: dim, Vigilance: ρ, Choice: 0.001, Learning: 1})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var inputs [][]float64
	var cats []int
	for range 2000 {
		x := make([]float64, dim)
		for i := range x {
			x[i] = rng.Float64()
		}
		r, err := n.Learn(x)
		if err != nil {
			t.Fatal(err)
		}
		inputs, cats = append(inputs, x), append(cats, r.Category)
	}
	if n.Categories() < 10 || n.Categories() > 1000 {
		t.Fatalf("%d categories for 2000 uniform inputs: the test shows nothing", n.Categories())
	}
	for j := range n.Categories() {
		w := n.Weights(j)
		edges := 0.0
		for i := range dim {
			lo, hi := w[i], 1-w[dim+i]
			if lo > hi+1e-12 {
				t.Fatalf("category %d: empty box [%v, %v] on feature %d", j, lo, hi, i)
			}
			edges += hi - lo
		}
		if edges > dim*(1-ρ)+1e-9 {
			t.Errorf("category %d: total edge %v > %v", j, edges, dim*(1-ρ))
		}
	}
	for k, x := range inputs {
		w := n.Weights(cats[k])
		for i, v := range x {
			if v < w[i]-1e-12 || v > 1-w[dim+i]+1e-12 {
				t.Fatalf("input %d (%v) outside the box of its category %d", k, x, cats[k])
			}
		}
		r, err := n.Learn(x)
		if err != nil {
			t.Fatal(err)
		}
		if r.Novelty != 0 || r.Created {
			t.Fatalf("input %d again: %+v, want novelty 0 in an existing category", k, r)
		}
	}
}

func TestMaxCategories(t *testing.T) {
	n, err := NewNetwork(NetworkParams{Dim: 1, Vigilance: 1, Choice: 0.001, Learning: 1, MaxCategories: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range []float64{0.1, 0.5, 0.9} {
		r, err := n.Learn([]float64{x})
		if err != nil {
			t.Fatal(err)
		}
		if full := i == 2; r.Full != full || r.Created == full || (full && r.Category != -1) {
			t.Errorf("input %d: %+v", i, r)
		}
	}
	if n.Categories() != 2 {
		t.Errorf("%d categories, want the bound 2", n.Categories())
	}
}

func TestNetworkRejects(t *testing.T) {
	ok := NetworkParams{Dim: 2, Vigilance: 0.5, Choice: 0.001, Learning: 1}
	for _, p := range []NetworkParams{
		{Dim: 0, Vigilance: 0.5, Choice: 0.001, Learning: 1},
		{Dim: 2, Vigilance: 1.5, Choice: 0.001, Learning: 1},
		{Dim: 2, Vigilance: math.NaN(), Choice: 0.001, Learning: 1},
		{Dim: 2, Vigilance: 0.5, Choice: 0, Learning: 1},
		{Dim: 2, Vigilance: 0.5, Choice: math.Inf(1), Learning: 1},
		{Dim: 2, Vigilance: 0.5, Choice: 0.001, Learning: 0},
		{Dim: 2, Vigilance: 0.5, Choice: 0.001, Learning: 1, MaxCategories: -1},
	} {
		if _, err := NewNetwork(p); err == nil {
			t.Errorf("NewNetwork(%+v): no error", p)
		}
	}
	n, err := NewNetwork(ok)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range [][]float64{{0.5}, {0.5, 0.5, 0.5}, {0.5, -0.1}, {1.1, 0}, {math.NaN(), 0}} {
		if _, err := n.Learn(x); !errors.Is(err, ErrInput) {
			t.Errorf("Learn(%v): %v, want ErrInput", x, err)
		}
	}
	if n.Categories() != 0 {
		t.Errorf("rejected inputs left %d categories", n.Categories())
	}
}
