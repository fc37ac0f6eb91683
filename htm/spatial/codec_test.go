package spatial

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dendritic/dendritic/internal/binfmt"
	"github.com/dendritic/dendritic/internal/golden"
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
	boosted := nabParams(20)
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

// fixCRC rewrites the checksum of data (CRC-32C of the current version,
// IEEE CRC-32 of version 1) so that the decoder checks the structure
// behind it.
func fixCRC(data []byte) []byte { return binfmt.Resign(data, codecVersion) }

// sections returns the payloads of the sections of a current-version
// encoding.
func sections(t testing.TB, data []byte) (parm, inpt, stat []byte) {
	t.Helper()
	f, _, err := binfmt.Parse(data, codecMagic)
	if err != nil {
		t.Fatal(err)
	}
	var out [3][]byte
	for i, tag := range []string{"PARM", "INPT", "STAT"} {
		r, err := f.Section(tag)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = r.Rest()
	}
	return out[0], out[1], out[2]
}

// encodeV1 returns the encoding of s in version 1, the layout before the
// binfmt framing (the package no longer writes it): the same fields as the
// PARM and STAT sections, after a 6-byte header, with an IEEE CRC-32.
func encodeV1(t testing.TB, s *SpatialPooler) []byte {
	t.Helper()
	data, _ := s.MarshalBinary()
	parm, _, stat := sections(t, data)
	b := append([]byte(codecMagic), 1, 0)
	b = append(append(b, parm...), stat...)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// TestCodecV1 checks encodeV1 against the version 1 fixture, so that the
// version 1 corruption tests below run on the real layout.
func TestCodecV1(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", compatFixtures[0].file))
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeV1(t, compatFixtures[0].build(t)); !bytes.Equal(got, want) {
		t.Fatal("encodeV1 differs from the version 1 fixture")
	}
}

// TestCodecCorrupt: field-level corruption of a version 1 encoding (the
// fields and their checks are those of the current version's sections).
func TestCodecCorrupt(t *testing.T) {
	s := trained(t, codecParams()[0], 30, 0.2)
	data := encodeV1(t, s)
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
	check("version", mod(4, []byte{3, 0}))
	check("version 2 layout", mod(4, []byte{2, 0}))
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
	data := encodeV1(t, s)
	off := stateOffset(s)
	if binary.LittleEndian.Uint64(data[off:]) != s.iteration || binary.LittleEndian.Uint32(data[off+20:]) != s.potStart[1] {
		t.Fatal("stateOffset is wrong")
	}
}

// TestCodecCorruptV2: every truncation and every single-byte change of a
// current-version encoding is refused, and so are per-input counts that
// disagree with the pools, behind a valid checksum.
func TestCodecCorruptV2(t *testing.T) {
	tiny := DefaultParams([]int{12}, []int{6})
	tiny.PotentialRadius = 2
	s := trained(t, tiny, 20, 0.3)
	data, _ := s.MarshalBinary()
	var u SpatialPooler
	for n := range len(data) {
		if err := u.UnmarshalBinary(data[:n]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range data {
		b := slices.Clone(data)
		b[i] ^= byte(1 + rng.IntN(255))
		if err := u.UnmarshalBinary(b); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("byte %d changed: %v", i, err)
		}
	}
	parm, inpt, stat := sections(t, data)
	rebuild := func(inpt []byte) []byte {
		w := binfmt.NewWriter(nil, codecMagic, codecVersion, 0)
		for _, sec := range []struct {
			tag string
			b   []byte
		}{{"PARM", parm}, {"INPT", inpt}, {"STAT", stat}} {
			w.Section(sec.tag)
			w.Bytes(sec.b)
		}
		return w.Finish()
	}
	if err := u.UnmarshalBinary(rebuild(inpt)); err != nil {
		t.Fatalf("rebuilt encoding: %v", err)
	}
	wrong := slices.Clone(inpt)
	wrong[3]++
	for name, b := range map[string][]byte{
		"count off by one": wrong,
		"count missing":    inpt[:len(inpt)-1],
		"count extra":      append(slices.Clone(inpt), 0),
	} {
		if err := u.UnmarshalBinary(rebuild(b)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// hostileInputs returns an encoding, with a valid checksum, of a pooler of
// one column whose pool holds input 0 of 2^22 = MaxInputs inputs; in the
// given version (1: the old layout; 2: with per-input counts for 16 inputs
// only).
func hostileInputs(t testing.TB, version int) []byte {
	p := DefaultParams([]int{16}, []int{1})
	p.PotentialRadius = 0
	s := mustNew(t, p)
	data, _ := s.MarshalBinary()
	parm, inpt, stat := sections(t, data)
	parm = slices.Clone(parm)
	binary.LittleEndian.PutUint32(parm[6:], MaxInputs) // the input dimension
	if version == 1 {
		b := append([]byte(codecMagic), 1, 0)
		b = append(append(b, parm...), stat...)
		return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	}
	w := binfmt.NewWriter(nil, codecMagic, codecVersion, 0)
	w.Section("PARM")
	w.Bytes(parm)
	w.Section("INPT")
	w.Bytes(inpt)
	w.Section("STAT")
	w.Bytes(stat)
	return w.Finish()
}

// TestDecodeHostileAllocation: issue 10 reported that a 514-byte pooler
// file made the decoder allocate 33.5 MB, a per-input index for 2^22
// inputs of which the file's pools use one. Both versions now refuse such
// a file while allocating in proportion to its size.
func TestDecodeHostileAllocation(t *testing.T) {
	for v := 1; v <= 2; v++ {
		h := hostileInputs(t, v)
		var err error
		got := golden.BytesAllocated(func() { err = new(SpatialPooler).UnmarshalBinary(h) })
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("version %d: %d-byte file claiming %d inputs: %v", v, len(h), MaxInputs, err)
		}
		if got > 64*uint64(len(h))+4096 {
			t.Errorf("version %d: %d-byte file made the decoder allocate %d bytes (%v)", v, len(h), got, err)
		}
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
		f.Add(encodeV1(f, s))
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
			if err != nil {
				t.Fatal(err)
			}
			// The current version re-encodes to itself, version 1 to
			// the current version of the same pooler.
			if binary.LittleEndian.Uint16(d[4:]) == codecVersion && !bytes.Equal(again, d) {
				t.Fatal("accepted data re-encodes differently")
			}
			var back SpatialPooler
			if err := back.UnmarshalBinary(again); err != nil {
				t.Fatal(err)
			}
			if again2, _ := back.MarshalBinary(); !bytes.Equal(again, again2) {
				t.Fatal("re-encoding not stable")
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
