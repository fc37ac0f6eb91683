package encoder

import (
	"fmt"
	"time"

	"github.com/dendritic/dendritic/sdr"
)

// DateParams configures a Date encoder. Every part is off when its width
// is 0; at least one must be on. A radius of 0 takes the default given.
type DateParams struct {
	// SeasonWidth active bits encode the day of the year, a periodic value
	// in [0, 366) days (Jan 1 00:00 is 0), with SeasonRadius in days
	// (default 91.5, a season).
	SeasonWidth  int
	SeasonRadius float64
	// DayOfWeekWidth active bits encode the day of the week, a periodic
	// value in [0, 7) days with Monday 00:00 at 0 (so Tuesday noon is 1.5),
	// with DayOfWeekRadius in days (default 1).
	DayOfWeekWidth  int
	DayOfWeekRadius float64
	// WeekendWidth active bits say whether the day is a Saturday or
	// Sunday: two disjoint blocks of WeekendWidth bits, one for weekdays
	// and one for the weekend.
	WeekendWidth int
	// TimeOfDayWidth active bits encode the time of day, a periodic value
	// in [0, 24) hours, with TimeOfDayRadius in hours (default 4).
	TimeOfDayWidth  int
	TimeOfDayRadius float64
}

// Date encodes a time.Time as the concatenation, in this order, of its
// enabled parts: season, day of week, weekend, time of day. The periodic
// parts are Scalar encoders with Periodic set and the given width and
// radius (so n = ⌈period·width/radius⌉ bits each); the weekend part is a
// two-label Category encoder. The calendar fields are read in the time's
// own location (t.Clock, t.Weekday, t.YearDay).
type Date struct {
	p                                   DateParams // resolved radii
	season, dayOfWeek, timeOfDay        *Scalar
	weekend                             *Category
	offSeason, offDay, offWeekend, offT uint32
	n                                   int
}

// NewDate validates p and returns the encoder.
func NewDate(p DateParams) (*Date, error) {
	e := &Date{}
	part := func(name string, width int, radius *float64, def, period float64) (*Scalar, error) {
		if width < 0 {
			return nil, fmt.Errorf("%w: date: %s width %d < 0", ErrParams, name, width)
		}
		if width == 0 {
			return nil, nil
		}
		if *radius == 0 {
			*radius = def
		}
		s, err := NewScalar(ScalarParams{Minimum: 0, Maximum: period, Periodic: true, ActiveBits: width, Radius: *radius})
		if err != nil {
			return nil, fmt.Errorf("date: %s: %w", name, err)
		}
		e.n += s.Size()
		return s, nil
	}
	var err error
	e.offSeason = uint32(e.n)
	if e.season, err = part("season", p.SeasonWidth, &p.SeasonRadius, 91.5, 366); err != nil {
		return nil, err
	}
	e.offDay = uint32(e.n)
	if e.dayOfWeek, err = part("day of week", p.DayOfWeekWidth, &p.DayOfWeekRadius, 1, 7); err != nil {
		return nil, err
	}
	e.offWeekend = uint32(e.n)
	if p.WeekendWidth < 0 {
		return nil, fmt.Errorf("%w: date: weekend width %d < 0", ErrParams, p.WeekendWidth)
	}
	if p.WeekendWidth > 0 {
		if e.weekend, err = NewCategory(CategoryParams{Categories: []string{"weekday", "weekend"}, ActiveBits: p.WeekendWidth}); err != nil {
			return nil, fmt.Errorf("date: weekend: %w", err)
		}
		e.n += e.weekend.Size()
	}
	e.offT = uint32(e.n)
	if e.timeOfDay, err = part("time of day", p.TimeOfDayWidth, &p.TimeOfDayRadius, 4, 24); err != nil {
		return nil, err
	}
	if e.n == 0 {
		return nil, fmt.Errorf("%w: date: every part is off", ErrParams)
	}
	if e.n > MaxSize {
		return nil, fmt.Errorf("%w: date: %d bits exceed %d", ErrParams, e.n, MaxSize)
	}
	e.p = p
	return e, nil
}

// Params returns the parameters with the default radii filled in.
func (e *Date) Params() DateParams {
	if e == nil {
		return DateParams{}
	}
	return e.p
}

// Size returns the number of bits of the encoding.
func (e *Date) Size() int {
	if e == nil {
		return 0
	}
	return e.n
}

// Parts returns the sizes of the season, day-of-week, weekend and
// time-of-day parts (0 for a part that is off).
func (e *Date) Parts() (season, dayOfWeek, weekend, timeOfDay int) {
	if e == nil {
		return 0, 0, 0, 0
	}
	if e.season != nil {
		season = e.season.Size()
	}
	if e.dayOfWeek != nil {
		dayOfWeek = e.dayOfWeek.Size()
	}
	if e.weekend != nil {
		weekend = e.weekend.Size()
	}
	if e.timeOfDay != nil {
		timeOfDay = e.timeOfDay.Size()
	}
	return season, dayOfWeek, weekend, timeOfDay
}

// appendShifted appends the encoding of one part, shifted by off.
func appendShifted[T any](dst []uint32, enc Encoder[T], v T, off uint32) ([]uint32, error) {
	k := len(dst)
	dst, err := enc.AppendEncode(dst, v)
	if err != nil {
		return dst[:k], err
	}
	for i := k; i < len(dst); i++ {
		dst[i] += off
	}
	return dst, nil
}

// AppendEncode appends the active bits of t's encoding to dst, in
// increasing order.
func (e *Date) AppendEncode(dst []uint32, t time.Time) ([]uint32, error) {
	if e == nil {
		return dst, ErrNotInitialized
	}
	k := len(dst)
	h, m, s := t.Clock()
	hours := float64(h) + float64(m)/60 + (float64(s)+float64(t.Nanosecond())*1e-9)/3600
	var err error
	if e.season != nil {
		if dst, err = appendShifted(dst, e.season, float64(t.YearDay()-1)+hours/24, e.offSeason); err != nil {
			return dst[:k], err
		}
	}
	if e.dayOfWeek != nil {
		day := float64((int(t.Weekday())+6)%7) + hours/24 // Monday = 0
		if dst, err = appendShifted(dst, e.dayOfWeek, day, e.offDay); err != nil {
			return dst[:k], err
		}
	}
	if e.weekend != nil {
		label := "weekday"
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			label = "weekend"
		}
		if dst, err = appendShifted(dst, e.weekend, label, e.offWeekend); err != nil {
			return dst[:k], err
		}
	}
	if e.timeOfDay != nil {
		if dst, err = appendShifted(dst, e.timeOfDay, hours, e.offT); err != nil {
			return dst[:k], err
		}
	}
	return dst, nil
}

// Encode writes the encoding of t into out, which must have Size bits.
func (e *Date) Encode(t time.Time, out *sdr.SDR) error {
	if e == nil {
		return ErrNotInitialized
	}
	buf := getScratch()
	defer putScratch(buf)
	idx, err := e.AppendEncode((*buf)[:0], t)
	*buf = idx
	if err != nil {
		return err
	}
	return setOutput(out, e.n, idx)
}
