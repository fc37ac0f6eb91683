package benchwork

import (
	"testing"
	"time"

	"github.com/dendritic/dendritic/nab"
)

func TestCorpusSeconds(t *testing.T) {
	s := &nab.Series{}
	for i := range 300 {
		s.Timestamps = append(s.Timestamps, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*5*time.Minute))
		s.Values = append(s.Values, float64(i%7))
	}
	c, err := nab.NewCorpus([]*nab.File{{Name: "a/x.csv", Series: s}, {Name: "a/y.csv", Series: s}})
	if err != nil {
		t.Fatal(err)
	}
	secs, err := corpusSeconds(c, "htm", 2)
	if err != nil || !(secs > 0) {
		t.Errorf("corpusSeconds: %v, %v", secs, err)
	}
	if _, err := corpusSeconds(c, "nope", 1); err == nil {
		t.Error("unknown detector accepted")
	}
}
