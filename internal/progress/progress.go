// Package progress draws a one-line progress bar on a terminal: a bar, the
// fraction done, the time so far, an estimate of the time left and a
// caller's detail, redrawn at most five times a second. On anything that
// is not a terminal (a file, a pipe, a test's buffer) New returns nil, and
// a nil *Bar does nothing, so that logs and captured output stay clean.
package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Columns returns the width of the terminal: $COLUMNS if set, else 80.
func Columns() int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n >= 40 {
		return n
	}
	return 80
}

// Bar is a progress line. Its methods are safe for concurrent use and do
// nothing on a nil *Bar.
type Bar struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	last  time.Time
	began bool
	done0 int64 // units done at the first update (work reused, not done now)
	drawn bool
}

// New returns a bar drawn on w, or nil if w is not a terminal.
func New(w io.Writer) *Bar {
	if !IsTerminal(w) {
		return nil
	}
	return &Bar{w: w, start: time.Now()}
}

// minRedraw is the shortest time between two redraws.
const minRedraw = 200 * time.Millisecond

// Update redraws the bar for done of total units (at most five times a
// second, and always at the end). detail, called only when the bar is
// redrawn, gives the text after the estimate. The estimate of the time
// left counts only the units done since the first update.
func (b *Bar) Update(done, total int64, detail func() string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.began {
		b.began, b.done0 = true, done
	}
	now := time.Now()
	if now.Sub(b.last) < minRedraw && done < total {
		return
	}
	b.last = now
	const width = 30
	frac := 1.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	k := min(max(int(math.Round(frac*width)), 0), width)
	el := now.Sub(b.start)
	eta := "?"
	if n := done - b.done0; n > 0 {
		eta = time.Duration(float64(el) / float64(n) * float64(total-done)).Round(time.Second).String()
	}
	line := fmt.Sprintf("[%s%s] %5.1f%%  %s  ETA %s", strings.Repeat("#", k), strings.Repeat(" ", width-k),
		100*frac, el.Round(time.Second), eta)
	if detail != nil {
		line += "  " + detail()
	}
	// One line that does not wrap, or \r cannot redraw it.
	if r, cols := []rune(line), Columns()-1; len(r) > cols {
		line = string(r[:cols-1]) + "…"
	}
	fmt.Fprintf(b.w, "\r\033[K%s", line)
	b.drawn = true
}

// Println clears the bar and prints a line in its place; the next Update
// draws the bar again below it.
func (b *Bar) Println(s string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(b.w, "\r\033[K%s\n", s)
	b.drawn = false
}

// Finish clears a bar left on the line.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
		b.drawn = false
	}
}
