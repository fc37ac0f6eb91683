package cad

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// codecSeries is a noisy sine with a level shift at row 1,400: enough
// contexts, links and rests to exercise every part of the state.
func codecSeries(n int) []float64 {
	out := make([]float64, n)
	x := uint64(7)
	for i := range out {
		x = x*6364136223846793005 + 1442695040888963407
		out[i] = 50 + 40*math.Sin(float64(i)/15) + float64(x>>59)
		if i >= 1400 {
			out[i] += 30
		}
	}
	return out
}

// TestMarshalExact: a detector saved after t rows and decoded scores the
// rows after t exactly as the original does, and encodes to the same bytes
// before and after them, at several t (including 0 and during the first
// rest period) and for both link walk orders.
func TestMarshalExact(t *testing.T) {
	vals := codecSeries(2000)
	for _, ins := range []bool{false, true} {
		for _, cut := range []int{0, 1, 50, 299, 700, 1399, 1401, 1800} {
			a, err := New(NABParams(0, 150, 300))
			if err != nil {
				t.Fatal(err)
			}
			a.insertionOrder = ins
			for _, v := range vals[:cut] {
				if _, err := a.Score(v); err != nil {
					t.Fatal(err)
				}
			}
			data, err := a.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			b, err := Unmarshal(data)
			if err != nil {
				t.Fatalf("cut %d: %v", cut, err)
			}
			if again, _ := b.MarshalBinary(); !bytes.Equal(again, data) {
				t.Fatalf("cut %d: the decoded detector encodes to other bytes", cut)
			}
			nonzero := 0
			for i, v := range vals[cut:] {
				ra, sa, _ := a.Step(v)
				rb, sb, err := b.Step(v)
				if err != nil || math.Float64bits(ra) != math.Float64bits(rb) || math.Float64bits(sa) != math.Float64bits(sb) {
					t.Fatalf("insertion order %v, cut %d, row %d: original (%v, %v), decoded (%v, %v, %v)", ins, cut, cut+i, ra, sa, rb, sb, err)
				}
				if sa > 0 {
					nonzero++
				}
			}
			if nonzero == 0 {
				t.Fatalf("cut %d: every later score is 0: the test shows nothing", cut)
			}
			da, _ := a.MarshalBinary()
			db, _ := b.MarshalBinary()
			if !bytes.Equal(da, db) {
				t.Fatalf("cut %d: after the same rows the two encode differently", cut)
			}
			if cut == 1800 {
				t.Logf("insertion order %v: %d bytes after 2,000 rows, %d contexts", ins, len(da), len(a.contexts))
			}
		}
	}
}

// TestUnmarshalRejects: truncations, flipped bytes and a forged rest period
// are refused with ErrCorrupt, never a panic.
func TestUnmarshalRejects(t *testing.T) {
	d, _ := New(NABParams(0, 150, 300))
	for _, v := range codecSeries(600) {
		d.Score(v)
	}
	data, _ := d.MarshalBinary()
	for _, n := range []int{0, 3, 11, 16, len(data) / 2, len(data) - 1} {
		if _, err := Unmarshal(data[:n]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%d of %d bytes: %v, want ErrCorrupt", n, len(data), err)
		}
	}
	for i := 0; i < len(data); i += 97 {
		bad := bytes.Clone(data)
		bad[i] ^= 0x10
		if _, err := Unmarshal(bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("byte %d flipped: %v, want ErrCorrupt", i, err)
		}
	}
	if _, err := (*Detector)(nil).MarshalBinary(); err == nil {
		t.Error("a nil Detector was encoded")
	}
}

// FuzzUnmarshal: any input is refused with ErrCorrupt or decodes to a
// detector that encodes to the same bytes and can go on scoring.
func FuzzUnmarshal(f *testing.F) {
	for _, n := range []int{0, 40, 400} {
		d, _ := New(NABParams(0, 150, 60))
		for _, v := range codecSeries(n) {
			d.Score(v)
		}
		data, _ := d.MarshalBinary()
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Unmarshal(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := d.MarshalBinary()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("re-encoding differs (%v)", err)
		}
		for _, v := range []float64{0, 75, 150, 1e9} {
			if s, err := d.Score(v); err != nil || !(s >= 0 && s <= 1) {
				t.Fatalf("Score(%v) = %v, %v", v, s, err)
			}
		}
	})
}

// TestContentHashSeeded: each side hashes fact lists with a seed of its
// own, so the hashes of one list differ between detectors (and a crafted
// checkpoint cannot choose colliding facts), while one side hashes equal
// lists equally. Two 64-bit seeded hashes of one list agree with
// probability 2^-64; TestMarshalExact shows that a decoded detector, with
// new seeds, still scores exactly as the original.
func TestContentHashSeeded(t *testing.T) {
	facts := []int64{3, 1 << 31, 1<<31 + 7}
	a, b := newSide(), newSide()
	if a.contentHash(facts) != a.contentHash(append([]int64(nil), facts...)) {
		t.Fatal("one side hashes equal fact lists differently")
	}
	if a.contentHash(facts) == b.contentHash(facts) {
		t.Fatal("two sides hash a fact list equally: the hash is not seeded, so collisions can be forged")
	}
}
