package spatial

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/sdr"
)

// trained returns a pooler with parameters p after steps learning steps on
// random inputs of the given density.
func trained(t testing.TB, p Params, steps int, density float64) *SpatialPooler {
	t.Helper()
	s := mustNew(t, p)
	r := rand.New(rand.NewPCG(11, 12))
	in, _ := sdr.New(p.InputDims...)
	out, _ := sdr.New(p.ColumnDims...)
	for range steps {
		_ = in.Randomize(density, r)
		if err := s.Compute(in, true, out); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func codecParams() []Params {
	global := DefaultParams([]int{60}, []int{40})
	global.PotentialRadius = 10
	boosted := NumentaParams(20)
	boosted.ColumnDims = []int{16}
	boosted.NumActiveColumnsPerInhArea = 3
	boosted.BoostStrength = 2
	boosted.StimulusThreshold = 1
	local := DefaultParams([]int{8, 8}, []int{4, 4})
	local.GlobalInhibition = false
	local.PotentialRadius = 2
	local.LocalAreaDensity = 0.2
	local.WrapAround = false
	return []Params{global, boosted, local}
}

func TestCodecRoundTrip(t *testing.T) {
	for i, p := range codecParams() {
		s := trained(t, p, 120, 0.15)
		data, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var u SpatialPooler
		if err := u.UnmarshalBinary(data); err != nil {
			t.Fatalf("params %d: %v", i, err)
		}
		again, _ := u.MarshalBinary()
		if !bytes.Equal(data, again) {
			t.Fatalf("params %d: re-encoding differs", i)
		}
		if got := u.Params().InitPermanence; got != p.InitPermanence {
			t.Fatalf("params %d: InitPermanence %v decoded as %v", i, p.InitPermanence, got)
		}
		checkInvariants(t, &u)
		// Both continue identically, learning included.
		r := rand.New(rand.NewPCG(13, 14))
		in, _ := sdr.New(p.InputDims...)
		o1, _ := sdr.New(p.ColumnDims...)
		o2, _ := sdr.New(p.ColumnDims...)
		for step := range 150 {
			_ = in.Randomize(0.15, r)
			_ = s.Compute(in, step%3 != 0, o1)
			_ = u.Compute(in, step%3 != 0, o2)
			if !o1.Equal(o2) {
				t.Fatalf("params %d, step %d: outputs differ", i, step)
			}
		}
		d1, _ := s.MarshalBinary()
		d2, _ := u.MarshalBinary()
		if !bytes.Equal(d1, d2) {
			t.Fatalf("params %d: states diverged", i)
		}
		if !slices.Equal(s.BoostFactors(), u.BoostFactors()) || !slices.Equal(s.ActiveDutyCycles(), u.ActiveDutyCycles()) ||
			!slices.Equal(s.OverlapDutyCycles(), u.OverlapDutyCycles()) {
			t.Fatalf("params %d: learned state differs", i)
		}
	}
}

// fixCRC rewrites the checksum of data so that the decoder checks the
// structure behind it.
func fixCRC(data []byte) []byte {
	if len(data) < 4 {
		return data
	}
	out := slices.Clone(data)
	binary.LittleEndian.PutUint32(out[len(out)-4:], crc32.ChecksumIEEE(out[:len(out)-4]))
	return out
}

func TestCodecCorrupt(t *testing.T) {
	s := trained(t, codecParams()[0], 30, 0.2)
	data, _ := s.MarshalBinary()
	before, _ := s.MarshalBinary()
	check := func(name string, d []byte) {
		t.Helper()
		if err := s.UnmarshalBinary(d); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	check("empty", nil)
	for _, n := range []int{1, 11, 12, 40, len(data) / 2, len(data) - 1} {
		check("truncated", data[:n])
		check("truncated, CRC fixed", fixCRC(data[:n]))
	}
	check("trailing", append(slices.Clone(data), 0))
	check("trailing, CRC fixed", fixCRC(append(slices.Clone(data[:len(data)-4]), 0, 0, 0, 0, 0)))
	flipped := slices.Clone(data)
	flipped[100] ^= 1
	check("bit flip", flipped)
	// Structural corruption behind a valid checksum.
	mod := func(off int, v []byte) []byte {
		d := slices.Clone(data)
		copy(d[off:], v)
		return fixCRC(d)
	}
	check("magic", mod(0, []byte("XSP1")))
	check("version", mod(4, []byte{2, 0}))
	check("initialisation", mod(6, []byte{2, 0}))
	check("initialisation high", mod(6, []byte{0, 1}))
	check("rank", mod(8, []byte{9, 0, 0, 0}))
	check("pct NaN", mod(28, binary.LittleEndian.AppendUint64(nil, math.Float64bits(math.NaN()))))
	check("global flag 2", mod(36, []byte{2}))
	// State: find a permanence and set it above 1; a pool index out of order.
	off := stateOffset(s)
	check("radius", mod(off+16, []byte{5, 0, 0, 0}))
	check("learning > all", mod(off+8, binary.LittleEndian.AppendUint64(nil, s.iteration+1)))
	pools := off + 20
	check("empty pool", mod(pools, []byte{0, 0, 0, 0}))
	check("huge pool", mod(pools, []byte{0xff, 0xff, 0, 0}))
	idx := pools + 4*s.numColumns
	check("pool order", mod(idx, binary.LittleEndian.AppendUint32(nil, s.potIdx[1]+1)))
	perm := idx + 4*len(s.potIdx)
	check("permanence", mod(perm, binary.LittleEndian.AppendUint32(nil, math.Float32bits(1.5))))
	check("permanence NaN", mod(perm, binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(math.NaN())))))
	cols := perm + 4*len(s.potIdx)
	check("boost", mod(cols, binary.LittleEndian.AppendUint64(nil, math.Float64bits(0))))
	check("duty", mod(cols+8, binary.LittleEndian.AppendUint64(nil, math.Float64bits(2))))
	ranks := cols + 32*s.numColumns
	check("ranks", mod(ranks, binary.LittleEndian.AppendUint32(nil, s.tieRank[1])))
	after, _ := s.MarshalBinary()
	if !bytes.Equal(before, after) {
		t.Error("a failed UnmarshalBinary changed the pooler")
	}
}

// stateOffset returns the offset of the state section of s's encoding.
func stateOffset(s *SpatialPooler) int {
	return 8 + 4 + 4*len(s.p.InputDims) + 4 + 4*len(s.p.ColumnDims) + 4 + 8 + 1 + 8 + 4 + 4 + 4*8 + 4 + 8 + 1 + 8
}

func TestStateOffset(t *testing.T) {
	s := trained(t, codecParams()[0], 5, 0.2)
	data, _ := s.MarshalBinary()
	off := stateOffset(s)
	if binary.LittleEndian.Uint64(data[off:]) != s.iteration || binary.LittleEndian.Uint32(data[off+20:]) != s.potStart[1] {
		t.Fatal("stateOffset is wrong")
	}
}

// FuzzUnmarshal feeds arbitrary bytes, and the same bytes with a valid
// checksum, to UnmarshalBinary: it must never panic, and whatever it
// accepts must re-encode to the same bytes and compute without error.
func FuzzUnmarshal(f *testing.F) {
	// Tiny poolers keep the inputs short, which the fuzzer's minimiser
	// needs: it re-runs an input once per byte removed.
	tiny := DefaultParams([]int{12}, []int{6})
	tiny.PotentialRadius = 2
	tinyBoosted := tiny.clone()
	tinyBoosted.BoostStrength = 1
	tinyBoosted.StimulusThreshold = 1
	tinyLocal := DefaultParams([]int{4, 4}, []int{2, 3})
	tinyLocal.GlobalInhibition = false
	tinyLocal.PotentialRadius = 1
	tinyLocal.LocalAreaDensity = 0.5
	for _, p := range []Params{tiny, tinyBoosted, tinyLocal} {
		s := trained(f, p, 20, 0.3)
		data, _ := s.MarshalBinary()
		f.Add(data)
	}
	f.Add([]byte("DSP1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range [][]byte{data, fixCRC(data)} {
			var s SpatialPooler
			if err := s.UnmarshalBinary(d); err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error %v does not wrap ErrCorrupt", err)
				}
				continue
			}
			again, err := s.MarshalBinary()
			if err != nil || !bytes.Equal(again, d) {
				t.Fatalf("accepted data re-encodes differently (%v)", err)
			}
			if s.numInputs*s.numColumns > 1<<20 {
				continue // too slow to run
			}
			in, _ := sdr.New(s.numInputs)
			out, _ := sdr.New(s.numColumns)
			r := rand.New(rand.NewPCG(1, 1))
			for range 3 {
				_ = in.Randomize(0.2, r)
				if err := s.Compute(in, true, out); err != nil {
					t.Fatal(err)
				}
			}
			checkInvariants(t, &s)
		}
	})
}
