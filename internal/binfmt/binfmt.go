// Package binfmt is the binary framing shared by the codecs of this
// module's models (sdr.SDR, dendrite.Connections, htm.TemporalMemory,
// spatial.SpatialPooler): one writer and one bounds-checked reader instead
// of one hand-written layout per package.
//
// A frame is a header, a sequence of length-prefixed sections and a
// checksum, every integer little-endian:
//
//	offset  size  field
//	0       4     magic: four bytes naming the kind of model
//	4       2     format version (uint16), chosen by the codec
//	6       2     flags (uint16), 0: reserved, refused if not 0
//	8       4     number of sections n (uint32)
//	12            n sections, each: tag (4 bytes), payload length L
//	              (uint64), L bytes of payload
//	end     4     CRC-32C (Castagnoli) of every preceding byte of the frame
//
// The magic and version sit where the formats that predate this package
// put them, so a codec can tell its old formats from this framing by the
// version alone (Peek). A frame is self-delimiting: Parse returns the
// bytes after it, so frames can be concatenated or nested (a section's
// payload may itself be a frame). The sections of a version come in a
// fixed order with fixed tags; the codec asks for each in turn
// (Frame.Section), so an encoding stays canonical: a decoder that accepts
// a frame and an encoder that writes the decoded value back give the same
// bytes.
//
// The checksum is CRC-32C rather than the IEEE CRC-32 of the older
// formats: it detects every error burst up to 32 bits and has a larger
// minimum Hamming distance than CRC-32 (IEEE) at the sizes of saved models
// (kilobytes to hundreds of megabytes), and hash/crc32 computes it with
// the SSE4.2 and ARMv8 CRC instructions, so checking a large model costs
// little. It guards against accidental corruption only; it is no defence
// against a deliberately forged file, which is why every field is also
// validated.
//
// Bounded reads: Parse walks the section headers and refuses a header or a
// section that claims more bytes than the input still holds before
// anything is allocated, and Reader.Count refuses an element count whose
// elements could not fit in the bytes that remain (the product is computed
// without overflow). A codec that allocates only in proportion to counts
// read with Count therefore allocates O(len(data)). Every error is a
// *FormatError naming the section, the field and the reason.
package binfmt

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"math/bits"
)

// HeaderSize is the size of a frame's header; a frame is at least
// HeaderSize + TrailerSize bytes long.
const (
	HeaderSize  = 12
	TrailerSize = 4
	// sectionHeader is the size of a section's tag and length.
	sectionHeader = 12
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum returns the CRC-32C of b, the checksum of a frame.
func Checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// FormatError describes input that is not a valid encoding.
type FormatError struct {
	Section string // the section's tag, or "" for the header and trailer
	Field   string // the field being read or checked
	Offset  int    // the field's offset within the section, the frame (header) or the bytes a Reader was made from
	Reason  string
}

func (e *FormatError) Error() string {
	where := "header"
	if e.Section != "" {
		where = "section " + e.Section
	}
	return fmt.Sprintf("%s, %s at offset %d: %s", where, e.Field, e.Offset, e.Reason)
}

func formatError(section, field string, off int, format string, args ...any) *FormatError {
	return &FormatError{Section: section, Field: field, Offset: off, Reason: fmt.Sprintf(format, args...)}
}

// Peek returns the version of the encoding at the start of data after
// checking its magic. It reads only the first six bytes, which every
// format of this module, old or new, starts with.
func Peek(data []byte, magic string) (uint16, error) {
	if len(data) < 6 {
		return 0, formatError("", "magic", 0, "%d bytes is too short", len(data))
	}
	if string(data[:4]) != magic {
		return 0, formatError("", "magic", 0, "%q, want %q", data[:4], magic)
	}
	return binary.LittleEndian.Uint16(data[4:]), nil
}

// Writer appends a frame to a byte slice.
type Writer struct {
	b      []byte
	start  int // offset of the frame in b
	n      uint32
	secLen int // offset of the open section's length field, or -1
}

// NewWriter starts a frame with the given magic and version at the end of
// b (b may be nil). size, if positive, is a hint of the frame's size. The
// Writer is a value, so that a codec's writer lives on its stack.
func NewWriter(b []byte, magic string, version uint16, size int) Writer {
	if len(magic) != 4 {
		panic("binfmt: magic must be 4 bytes")
	}
	if size > 0 && cap(b)-len(b) < size {
		nb := make([]byte, len(b), len(b)+size)
		copy(nb, b)
		b = nb
	}
	w := Writer{b: b, start: len(b), secLen: -1}
	w.b = append(w.b, magic...)
	w.b = binary.LittleEndian.AppendUint16(w.b, version)
	w.b = binary.LittleEndian.AppendUint16(w.b, 0)
	w.b = binary.LittleEndian.AppendUint32(w.b, 0) // section count, set by Finish
	return w
}

// Section ends the open section, if any, and opens one with the given
// 4-byte tag.
func (w *Writer) Section(tag string) {
	if len(tag) != 4 {
		panic("binfmt: tag must be 4 bytes")
	}
	w.endSection()
	w.b = append(w.b, tag...)
	w.secLen = len(w.b)
	w.b = binary.LittleEndian.AppendUint64(w.b, 0)
	w.n++
}

func (w *Writer) endSection() {
	if w.secLen >= 0 {
		binary.LittleEndian.PutUint64(w.b[w.secLen:], uint64(len(w.b)-w.secLen-8))
		w.secLen = -1
	}
}

// Finish ends the open section, sets the section count, appends the
// checksum and returns the slice with the frame.
func (w *Writer) Finish() []byte {
	w.endSection()
	binary.LittleEndian.PutUint32(w.b[w.start+8:], w.n)
	w.b = binary.LittleEndian.AppendUint32(w.b, Checksum(w.b[w.start:]))
	b := w.b
	w.b = nil
	return b
}

// U8 appends v.
func (w *Writer) U8(v uint8) { w.b = append(w.b, v) }

// Bool appends v as one byte, 0 or 1.
func (w *Writer) Bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// U16 appends v.
func (w *Writer) U16(v uint16) { w.b = binary.LittleEndian.AppendUint16(w.b, v) }

// U32 appends v.
func (w *Writer) U32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }

// U64 appends v.
func (w *Writer) U64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }

// F32 appends the IEEE bits of v.
func (w *Writer) F32(v float32) { w.U32(math.Float32bits(v)) }

// F64 appends the IEEE bits of v.
func (w *Writer) F64(v float64) { w.U64(math.Float64bits(v)) }

// Uvarint appends v as an unsigned varint.
func (w *Writer) Uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

// Bytes appends p as it is (no length).
func (w *Writer) Bytes(p []byte) { w.b = append(w.b, p...) }

// U32s appends len(v) as a uint32 count, then the elements.
func (w *Writer) U32s(v []uint32) {
	w.U32(uint32(len(v)))
	for _, x := range v {
		w.U32(x)
	}
}

// Append lets f append to the frame (for instance a nested frame).
func (w *Writer) Append(f func(b []byte) ([]byte, error)) error {
	b, err := f(w.b)
	if err != nil {
		return err
	}
	w.b = b
	return nil
}

// Frame is a parsed frame whose checksum and section table are valid.
type Frame struct {
	Version uint16
	body    []byte // the sections
	n       int    // sections not yet returned
	off     int    // offset of the next section in the frame
}

// Parse checks the frame at the start of data: the magic, the flags, that
// every section fits in data, and the checksum. It returns the frame and
// the bytes that follow it. It allocates nothing in proportion to what
// the header or the sections claim (the Frame, like the Readers of its
// sections, is a value).
func Parse(data []byte, magic string) (Frame, []byte, error) {
	version, err := Peek(data, magic)
	if err != nil {
		return Frame{}, nil, err
	}
	if len(data) < HeaderSize+TrailerSize {
		return Frame{}, nil, formatError("", "header", 0, "%d bytes is too short", len(data))
	}
	le := binary.LittleEndian
	if f := le.Uint16(data[6:]); f != 0 {
		return Frame{}, nil, formatError("", "flags", 6, "unknown flags %#x", f)
	}
	n := le.Uint32(data[8:])
	if uint64(n) > uint64(len(data)-HeaderSize-TrailerSize)/sectionHeader {
		return Frame{}, nil, formatError("", "section count", 8, "%d sections cannot fit in %d bytes", n, len(data))
	}
	off := HeaderSize
	for i := range n {
		if len(data)-off-TrailerSize < sectionHeader {
			return Frame{}, nil, formatError("", "section header", off, "section %d of %d truncated", i, n)
		}
		l := le.Uint64(data[off+4:])
		if l > uint64(len(data)-off-sectionHeader-TrailerSize) {
			return Frame{}, nil, formatError(string(data[off:off+4]), "length", off+4,
				"%d bytes claimed, %d remain", l, len(data)-off-sectionHeader-TrailerSize)
		}
		off += sectionHeader + int(l)
	}
	if sum := le.Uint32(data[off:]); sum != Checksum(data[:off]) {
		return Frame{}, nil, formatError("", "checksum", off, "CRC-32C mismatch")
	}
	return Frame{Version: version, body: data[:off], n: int(n), off: HeaderSize}, data[off+TrailerSize:], nil
}

// ParseWhole is Parse for data that must hold exactly one frame, of the
// given version.
func ParseWhole(data []byte, magic string, version uint16) (Frame, error) {
	f, rest, err := Parse(data, magic)
	if err != nil {
		return Frame{}, err
	}
	if f.Version != version {
		return Frame{}, formatError("", "version", 4, "%d, want %d", f.Version, version)
	}
	if len(rest) != 0 {
		return Frame{}, formatError("", "end", len(data)-len(rest), "%d trailing bytes", len(rest))
	}
	return f, nil
}

// Section returns a reader of the next section, which must have the given
// tag.
func (f *Frame) Section(tag string) (Reader, error) {
	if f.n == 0 {
		return Reader{}, formatError(tag, "section", f.off, "missing")
	}
	if string(f.body[f.off:f.off+4]) != tag { // compared without a copy
		got := string(f.body[f.off : f.off+4])
		return Reader{}, formatError(got, "section", f.off, "tag %q, want %q", got, tag)
	}
	l := int(binary.LittleEndian.Uint64(f.body[f.off+4:]))
	start := f.off + sectionHeader
	f.off = start + l
	f.n--
	return NewReader(f.body[start:f.off:f.off], tag), nil
}

// Close reports an error if sections remain unread.
func (f *Frame) Close() error {
	if f.n != 0 {
		return formatError(string(f.body[f.off:f.off+4]), "section", f.off, "%d unexpected sections", f.n)
	}
	return nil
}

// Reader reads fields from a section (or from any byte slice) with bounds
// checks. The first error sticks: later reads return zero values, and Err
// or Close report it.
type Reader struct {
	b       []byte
	off     int
	section string
	err     error
}

// NewReader returns a reader of b; section names it in errors.
func NewReader(b []byte, section string) Reader { return Reader{b: b, section: section} }

// Err returns the first error.
func (r *Reader) Err() error { return r.err }

// Len returns the number of unread bytes.
func (r *Reader) Len() int { return len(r.b) - r.off }

// Offset returns the offset of the next byte to read.
func (r *Reader) Offset() int { return r.off }

// Rest returns the unread bytes.
func (r *Reader) Rest() []byte { return r.b[r.off:] }

// Fail records a *FormatError for field at the current offset, unless an
// error is already recorded, and returns the recorded error.
func (r *Reader) Fail(field, format string, args ...any) error {
	if r.err == nil {
		r.err = formatError(r.section, field, r.off, format, args...)
	}
	return r.err
}

// Close returns the first error, or an error if bytes remain unread.
func (r *Reader) Close() error {
	if r.err == nil && r.Len() != 0 {
		r.Fail("end", "%d trailing bytes", r.Len())
	}
	return r.err
}

// Bytes returns the next n bytes (not a copy), or nil and an error if
// fewer remain.
func (r *Reader) Bytes(field string, n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > r.Len() {
		r.Fail(field, "truncated: %d bytes needed, %d remain", n, r.Len())
		return nil
	}
	v := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return v
}

// U8 reads a byte.
func (r *Reader) U8(field string) uint8 {
	if v := r.Bytes(field, 1); v != nil {
		return v[0]
	}
	return 0
}

// Bool reads a byte that must be 0 or 1.
func (r *Reader) Bool(field string) bool {
	v := r.U8(field)
	if v > 1 {
		r.off--
		r.Fail(field, "boolean %d", v)
	}
	return v == 1
}

// U16 reads a uint16.
func (r *Reader) U16(field string) uint16 {
	if v := r.Bytes(field, 2); v != nil {
		return binary.LittleEndian.Uint16(v)
	}
	return 0
}

// U32 reads a uint32.
func (r *Reader) U32(field string) uint32 {
	if v := r.Bytes(field, 4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

// U64 reads a uint64.
func (r *Reader) U64(field string) uint64 {
	if v := r.Bytes(field, 8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

// F32 reads the IEEE bits of a float32.
func (r *Reader) F32(field string) float32 { return math.Float32frombits(r.U32(field)) }

// F64 reads the IEEE bits of a float64.
func (r *Reader) F64(field string) float64 { return math.Float64frombits(r.U64(field)) }

// Uvarint reads an unsigned varint.
func (r *Reader) Uvarint(field string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.Fail(field, "bad varint")
		return 0
	}
	r.off += n
	return v
}

// Int reads a uint32 that must not exceed limit (≥ 0).
func (r *Reader) Int(field string, limit int) int {
	v := r.U32(field)
	if r.err == nil && uint64(v) > uint64(limit) {
		r.off -= 4
		r.Fail(field, "%d exceeds %d", v, limit)
		return 0
	}
	return int(v)
}

// Int64 reads a uint64 that must not exceed limit (≥ 0).
func (r *Reader) Int64(field string, limit int) int {
	v := r.U64(field)
	if r.err == nil && v > uint64(limit) {
		r.off -= 8
		r.Fail(field, "%d exceeds %d", v, limit)
		return 0
	}
	return int(v)
}

// Count reads a uint32 count of elements of elemSize ≥ 1 bytes each that
// must follow in this reader, and refuses one above limit or whose
// elements cannot fit in the bytes that remain. The caller can then
// allocate count elements: at most Len()/elemSize.
func (r *Reader) Count(field string, elemSize, limit int) int {
	v := r.U32(field)
	if r.err != nil {
		return 0
	}
	if uint64(v) > uint64(limit) {
		r.off -= 4
		r.Fail(field, "count %d exceeds %d", v, limit)
		return 0
	}
	if !Fits(uint64(v), uint64(elemSize), r.Len()) {
		r.off -= 4
		r.Fail(field, "%d elements of %d bytes cannot fit in the %d bytes that remain", v, elemSize, r.Len())
		return 0
	}
	return int(v)
}

// Fits reports whether n elements of size bytes each fit in avail bytes,
// computing n×size without overflow.
func Fits(n, size uint64, avail int) bool {
	hi, lo := bits.Mul64(n, size)
	return hi == 0 && avail >= 0 && lo <= uint64(avail)
}

// U32s reads a list written by Writer.U32s with at most limit elements.
func (r *Reader) U32s(field string, limit int) []uint32 {
	n := r.Count(field, 4, limit)
	if r.err != nil {
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = r.U32(field)
	}
	return out
}

// Resign returns a copy of data with its last four bytes replaced by the
// checksum of the bytes before them: the CRC-32C of a frame, or, if the
// version at offset 4 is below first (the codec's first binfmt version),
// the IEEE CRC-32 of the formats that predate this package. Tests use it
// to reach the checks behind the checksum.
func Resign(data []byte, first uint16) []byte {
	out := append([]byte(nil), data...)
	if len(out) < 6 {
		return out
	}
	n := len(out) - 4
	sum := Checksum(out[:n])
	if binary.LittleEndian.Uint16(out[4:]) < first {
		sum = crc32.ChecksumIEEE(out[:n])
	}
	binary.LittleEndian.PutUint32(out[n:], sum)
	return out
}
