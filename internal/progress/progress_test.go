package progress

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// Off a terminal there is no bar, and a nil bar does nothing.
func TestSilentOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	if b := New(&buf); b != nil {
		t.Fatal("a bar on a buffer")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := New(f)
	if b != nil {
		t.Fatal("a bar on a regular file")
	}
	b.Update(1, 2, func() string { return "x" })
	b.Println("line")
	b.Finish()
}

// A bar draws the fraction, the detail and clears itself.
func TestBarDraws(t *testing.T) {
	var buf bytes.Buffer
	b := &Bar{w: &buf, start: time.Now()}
	b.Update(5, 10, func() string { return "detail" })
	b.Update(6, 10, nil) // within 200 ms: not drawn
	b.Update(10, 10, nil)
	b.Finish()
	got := buf.String()
	for _, want := range []string{" 50.0%", "detail", "100.0%", "\r\033[K"} {
		if !bytes.Contains([]byte(got), []byte(want)) {
			t.Errorf("output %q lacks %q", got, want)
		}
	}
	if bytes.Contains([]byte(got), []byte(" 60.0%")) {
		t.Errorf("redrawn within 200 ms: %q", got)
	}
}
