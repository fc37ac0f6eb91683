package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dendritic/dendritic/internal/shareddata"
	"github.com/dendritic/dendritic/nab"
)

// sharedNAB is the read-only NAB copy as seen from this package's directory.
var sharedNAB = shareddata.String("data", "nab")

// benchFiles returns the first n files of realAWSCloudwatch (4,032 rows
// each for most of them), or skips.
func benchFiles(b *testing.B, n int) []*nab.File {
	if _, err := os.Stat(sharedNAB); err != nil {
		b.Skipf("needs the NAB corpus at %s: %v", sharedNAB, err)
	}
	c, err := nab.LoadCorpus(sharedNAB)
	if err != nil {
		b.Fatal(err)
	}
	var out []*nab.File
	for _, f := range c.Files {
		if strings.HasPrefix(f.Name, "realAWSCloudwatch/") && len(out) < n {
			out = append(out, f)
		}
	}
	return out
}

func fileSpec(i int, f *nab.File) Spec {
	info := f.Info()
	return Spec{ID: fmt.Sprintf("f%d", i), Detector: "htm", Min: info.Min, Max: info.Max, Probation: info.Probation}
}

func fileRows(f *nab.File) []Row {
	rows := make([]Row, f.Len())
	for i := range rows {
		rows[i] = Row{Time: f.Timestamps[i], Value: f.Values[i]}
	}
	return rows
}

// BenchmarkThroughput compares, in the same run, the rows per second of
// the htm detector through nab.DetectSeries (what "dendritic nab run"
// runs per file), GOMAXPROCS files at a time, with the rows per second of
// the same files sent through HTTP on loopback to one model each, all at
// once, in requests of 100 rows, checkpointing every 2,000 rows. It also
// checks that the served scores equal nab run's, bit for bit.
//
//	go test ./serve -run '^$' -bench Throughput -benchtime 1x
func BenchmarkThroughput(b *testing.B) {
	files := benchFiles(b, 4)
	total := 0
	for _, f := range files {
		total += f.Len()
	}
	factory, err := nab.Lookup("htm", 0)
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		// nab run's way: the detector alone.
		direct := make([][]float64, len(files))
		t0 := time.Now()
		var wg sync.WaitGroup
		sem := make(chan struct{}, runtime.GOMAXPROCS(0))
		for i, f := range files {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				if direct[i], err = nab.DetectSeries(context.Background(), f, factory, nil); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		nabRate := float64(total) / time.Since(t0).Seconds()

		ts := newTestServer(b, Options{CheckpointRows: 2000})
		for i, f := range files {
			sp := fileSpec(i, f)
			ts.create(fmt.Sprintf(`{"id":%q,"detector":"htm","min":%s,"max":%s,"probation":%d}`, sp.ID, fmtFloat(sp.Min), fmtFloat(sp.Max), sp.Probation))
		}
		served := make([][]Result, len(files))
		t0 = time.Now()
		for i, f := range files {
			wg.Go(func() {
				rows := fileRows(f)
				for pos := 0; pos < len(rows); pos += 100 {
					served[i] = append(served[i], ts.appendRows(fmt.Sprintf("f%d", i), rows[pos:min(pos+100, len(rows))])...)
				}
			})
		}
		wg.Wait()
		httpRate := float64(total) / time.Since(t0).Seconds()
		for i := range files {
			for k, r := range served[i] {
				if r.Score != direct[i][k] {
					b.Fatalf("%s row %d: served %v, nab run %v", files[i].Name, k, r.Score, direct[i][k])
				}
			}
		}
		var ckBytes int
		var ckSec float64
		for i := range files {
			in := ts.info(fmt.Sprintf("f%d", i))
			ckBytes, ckSec = max(ckBytes, in.CheckpointBytes), max(ckSec, in.CheckpointSeconds)
		}
		ts.stop()
		b.ReportMetric(nabRate, "nab-rows/s")
		b.ReportMetric(httpRate, "http-rows/s")
		b.ReportMetric(100*httpRate/nabRate, "%-of-nab")
		b.ReportMetric(float64(ckBytes), "checkpoint-bytes")
		b.ReportMetric(ckSec*1000, "checkpoint-encode-ms")
	}
}

// BenchmarkLatency measures one-row appends to one model, one at a time,
// after 500 rows of warm-up: p50 and p99 over 1,000 requests.
//
//	go test ./serve -run '^$' -bench Latency -benchtime 1x
func BenchmarkLatency(b *testing.B) {
	f := benchFiles(b, 1)[0]
	rows := fileRows(f)
	for range b.N {
		ts := newTestServer(b, Options{})
		sp := fileSpec(0, f)
		ts.create(fmt.Sprintf(`{"id":"f0","detector":"htm","min":%s,"max":%s,"probation":%d}`, fmtFloat(sp.Min), fmtFloat(sp.Max), sp.Probation))
		for pos := 0; pos < 500; pos += 100 {
			ts.appendRows("f0", rows[pos:pos+100])
		}
		lat := make([]time.Duration, 0, 1000)
		for k := 500; k < 1500; k++ {
			t0 := time.Now()
			ts.appendRows("f0", rows[k:k+1])
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		ts.stop()
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkMemoryRestart measures the heap per model (four models fed
// 4,032 rows each), then the restart time of those four models with their
// whole 4,032-row backlog to replay (their checkpoints deleted) and with
// none (restored from the checkpoints Close wrote).
//
//	go test ./serve -run '^$' -bench MemoryRestart -benchtime 1x
func BenchmarkMemoryRestart(b *testing.B) {
	files := benchFiles(b, 4)
	for range b.N {
		db := filepath.Join(b.TempDir(), "restart.db")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ts := newTestServer(b, Options{DB: db})
		var wg sync.WaitGroup
		for i, f := range files {
			sp := fileSpec(i, f)
			ts.create(fmt.Sprintf(`{"id":%q,"detector":"htm","min":%s,"max":%s,"probation":%d}`, sp.ID, fmtFloat(sp.Min), fmtFloat(sp.Max), sp.Probation))
			wg.Go(func() {
				rows := fileRows(f)
				for pos := 0; pos < len(rows); pos += 500 {
					ts.appendRows(sp.ID, rows[pos:min(pos+500, len(rows))])
				}
			})
		}
		wg.Wait()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(files))/(1<<20), "heap-MiB/model")
		ts.stop()
		t0 := time.Now()
		ts.start()
		b.ReportMetric(time.Since(t0).Seconds(), "restart-s-no-backlog")
		ts.stop()
		st, err := openStore(context.Background(), db)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.w.Exec(`DELETE FROM checkpoints`); err != nil {
			b.Fatal(err)
		}
		st.close()
		t0 = time.Now()
		ts.start()
		b.ReportMetric(time.Since(t0).Seconds(), "restart-s-4x4032-backlog")
		ts.stop()
	}
}
