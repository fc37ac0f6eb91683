package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// FuzzReadResults: the reader of 'simulate --format json' results, and
// Merge of what it accepts (the path of 'dendritic merge'), never panic
// or allocate beyond the input's size, whatever the file claims (shard
// counts, sample counts, histograms).
func FuzzReadResults(f *testing.F) {
	c := Config{Kind: KindFP, N: 200, A: 20, S: 10, Theta: 3, Samples: 5000, Seed: 1, Workers: 1, Shards: 2}
	for shard := range 2 {
		c.Shard = shard
		r, err := Run(context.Background(), c, nil)
		if err != nil {
			f.Fatal(err)
		}
		b, _ := json.Marshal(r)
		f.Add(b)
	}
	f.Add([]byte(`{"quantity":"fp","params":{"n":1},"shards":4096}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		rs, err := ReadResults(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		if _, err := Merge(rs...); err != nil {
			return
		}
	})
}
