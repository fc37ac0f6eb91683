package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the dendritic command once into dir.
func buildBinary(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "dendritic")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/dendritic").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running "dendritic serve".
type process struct {
	cmd  *exec.Cmd
	url  string
	errs *bytes.Buffer
	mu   *sync.Mutex
}

var listening = regexp.MustCompile(`listening on (\S+)`)

func startServe(t testing.TB, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, errs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	sc := bufio.NewScanner(stderr)
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		p.errs.WriteString(sc.Text() + "\n")
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			p.url = "http://" + m[1]
			break
		}
	}
	if p.url == "" {
		cmd.Wait()
		t.Fatalf("serve did not start:\n%s", p.errs)
	}
	go func() { // keep draining stderr
		for sc.Scan() {
			p.mu.Lock()
			p.errs.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	}()
	return p
}

func (p *process) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.errs.String()
}

// post sends a JSON body and decodes the JSON answer into out.
func post(client *http.Client, url, body string, out any) (int, error) {
	resp, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode/100 == 2 && out != nil {
		return resp.StatusCode, json.Unmarshal(b, out)
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%d %s", resp.StatusCode, b)
	}
	return resp.StatusCode, nil
}

func getJSON(client *http.Client, url string, out any) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s: %d %s", url, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// TestKillRestart is the guarantee of the package documentation, tested
// on the real binary: two models (htm and numenta) are fed a synthetic
// series in requests of 1 to 40 rows while the server is killed with
// SIGKILL at moments drawn from a fixed seed, four times, and restarted;
// the client resumes each model from the row count the server reports.
// No acknowledged row may be lost, the run must end with a graceful
// SIGTERM (exit 0), and every stored score must equal, bit for bit, that
// of an uninterrupted run of the same detector on the same rows.
func TestKillRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary: not in -short")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	db := filepath.Join(dir, "crash.db")
	args := []string{"--db", db, "--checkpoint-rows", "250", "--checkpoint-every", "2s"}
	rows := series(1500)
	specs := []Spec{{ID: "htm-model", Detector: "htm", Min: 20, Max: 110, Probation: 200},
		{ID: "numenta-model", Detector: "numenta", Min: 20, Max: 110, Probation: 200},
		{ID: "cad-model", Detector: "contextOSE", Min: 20, Max: 110, Probation: 200},
		{ID: "peaks-model", Detector: "numenta-gmean-cad-peaks-cal", Min: 20, Max: 110, Probation: 200}}
	rng := rand.New(rand.NewPCG(13, 2026))
	client := &http.Client{Timeout: 30 * time.Second}
	acked := make([]int64, len(specs))

	p := startServe(t, bin, args...)
	for _, sp := range specs {
		b, _ := json.Marshal(sp)
		if _, err := post(client, p.url+"/v1/models", string(b), nil); err != nil {
			t.Fatal(err)
		}
	}
	for round := 0; ; round++ {
		var wg sync.WaitGroup
		done := make([]bool, len(specs))
		sizes := make([][]int, len(specs)) // batch sizes drawn before the goroutines start
		for i := range specs {
			for range 200 {
				sizes[i] = append(sizes[i], 1+rng.IntN(40))
			}
		}
		for i, sp := range specs {
			wg.Go(func() {
				var in Info
				if err := getJSON(client, p.url+"/v1/models/"+sp.ID, &in); err != nil {
					return
				}
				if in.Rows < acked[i] {
					t.Errorf("round %d: %s has %d rows, %d were acknowledged", round, sp.ID, in.Rows, acked[i])
				}
				for k, pos := 0, int(in.Rows); ; k++ {
					if pos >= len(rows) {
						done[i] = true
						return
					}
					end := min(pos+sizes[i][k%len(sizes[i])], len(rows))
					var out struct{ Results []Result }
					if _, err := post(client, p.url+"/v1/models/"+sp.ID+"/rows", rowsJSON(rows[pos:end]), &out); err != nil {
						return // killed
					}
					if n := len(out.Results); n != end-pos || out.Results[n-1].Seq != int64(end) {
						t.Errorf("%s: append of rows %d..%d answered %d results", sp.ID, pos, end, n)
						return
					}
					acked[i], pos = int64(end), end
				}
			})
		}
		if round < 4 {
			time.Sleep(time.Duration(300+rng.IntN(1200)) * time.Millisecond)
			p.cmd.Process.Signal(syscall.SIGKILL)
			wg.Wait()
			p.cmd.Wait()
			t.Logf("round %d: killed after %v rows acknowledged", round, acked)
			p = startServe(t, bin, args...)
			continue
		}
		wg.Wait()
		if !done[0] || !done[1] {
			t.Fatalf("the last round did not finish: %v\n%s", acked, p.stderr())
		}
		break
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, p.stderr())
	}
	p = startServe(t, bin, args...)
	defer func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
	}()
	for _, sp := range specs {
		want := reference(t, sp, rows)
		var got []Result
		for after := int64(0); ; {
			var out struct {
				Results []Result
				Next    *int64 `json:"next_after"`
			}
			if err := getJSON(client, fmt.Sprintf("%s/v1/models/%s/scores?after=%d&limit=%d", p.url, sp.ID, after, maxScores), &out); err != nil {
				t.Fatal(err)
			}
			got = append(got, out.Results...)
			if out.Next == nil {
				break
			}
			after = *out.Next
		}
		if err := sameResults(got, want); err != nil {
			t.Errorf("%s: %v", sp.ID, err)
		}
	}
	if _, err := os.Stat(db + "-wal"); err != nil {
		t.Errorf("no WAL file beside the database: %v", err)
	}
}
