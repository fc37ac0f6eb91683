package taxi

import (
	"bytes"
	"testing"
)

// FuzzReadCSV: the taxi CSV reader never panics, and accepts no data set
// without records.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("timestamp,passenger_count\n2014-07-01 00:00:00,10844\n2014-07-01 00:30:00,8127\n"))
	f.Add([]byte("timestamp,passenger_count,timeofday,dayofweek\ndatetime,int,int,string\nT,,,\n2014-07-01 00:00:00,10844,0,1\n"))
	f.Add([]byte("timestamp\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		d, err := ReadCSV(bytes.NewReader(data), "fuzz")
		if err == nil && d == nil {
			t.Fatal("nil data without an error")
		}
	})
}
