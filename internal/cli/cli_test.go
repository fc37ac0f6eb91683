package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
)

// testProgram has one command of each shape: with a required flag and a
// positional argument, and a group of subcommands.
func testProgram(got *[]string) *Program {
	echo := &Command{
		Name: "echo", Summary: "print the arguments", Args: "WORD...", Required: []string{"out"},
		Flags: func(fs *flag.FlagSet) Run {
			out := fs.String("out", "", "output `DIR`")
			n := Int(fs, "n", 1, 1, "repeat `N` times")
			workers := Workers(fs)
			Deprecated(fs, "jobs", "workers")
			mode := Enum(fs, "mode", "`mode`", "ok", "fail", "usage", "interrupt", "silent")
			return func(ctx context.Context, env *Env) error {
				*got = append(*got, fmt.Sprintf("%s %d %d %v", *out, *n, *workers, env.Args))
				switch *mode {
				case "fail":
					return errors.New("model error")
				case "usage":
					return Usagef("bad combination")
				case "interrupt":
					return fmt.Errorf("stopped: %w", ErrInterrupted)
				case "silent":
					return Exit(3)
				}
				fmt.Fprintln(env.Stdout, strings.Join(env.Args, " "))
				return nil
			}
		},
	}
	sub := &Command{Name: "leaf", Summary: "a leaf", Flags: func(fs *flag.FlagSet) Run {
		return func(ctx context.Context, env *Env) error { return nil }
	}}
	group := &Command{Name: "group", Summary: "a group", Subcommands: []*Command{sub}}
	return &Program{Name: "prog", Commands: []*Command{group, echo}, Version: func() string { return "prog 1" }}
}

func runProg(p *Program, args ...string) (string, string, int) {
	var o, e bytes.Buffer
	code := p.Run(args, &o, &e)
	return o.String(), e.String(), code
}

func TestProgramExitCodes(t *testing.T) {
	var got []string
	p := testProgram(&got)
	for _, c := range []struct {
		args       []string
		code       int
		out, inErr string // substrings of stdout and stderr ("" for stderr: must be empty)
	}{
		{[]string{"echo", "a", "--out", "d", "b", "--n", "2e5"}, 0, "a b\n", ""},
		{[]string{"echo", "-h"}, 0, "usage: prog echo --out DIR [flags] WORD...", ""},
		{[]string{"echo", "--help"}, 0, "--n N", ""},
		{[]string{"help", "echo"}, 0, "repeat N times (default 1)", ""},
		{[]string{"help", "group", "leaf"}, 0, "usage: prog group leaf", ""},
		{[]string{"group", "-h"}, 0, "leaf  a leaf", ""},
		{[]string{"-h"}, 0, "echo   print the arguments", ""},
		{[]string{"help"}, 0, "group  a group", ""},
		{[]string{"--version"}, 0, "prog 1\n", ""},
		{[]string{}, 2, "", "prog: no command given"},
		{[]string{"nope"}, 2, "", `prog: unknown command "nope"`},
		{[]string{"help", "nope"}, 2, "", `unknown command "nope"`},
		{[]string{"help", "group", "nope"}, 2, "", `prog help: unknown command "group nope"`},
		{[]string{"group"}, 2, "", "prog group: no command given"},
		{[]string{"group", "x"}, 2, "", `prog group: unknown command "x"`},
		{[]string{"echo", "--out", "d", "--bogus"}, 2, "", "prog echo: unknown flag --bogus\nusage: prog echo --out DIR [flags] WORD..."},
		{[]string{"echo", "x"}, 2, "", "prog echo: missing --out"},
		{[]string{"echo", "--out", "d", "--n", "0"}, 2, "", "prog echo: --n \"0\": must be at least 1"},
		{[]string{"echo", "--out", "d", "--n", "2.5"}, 2, "", "not an integer"},
		{[]string{"echo", "--out", "d", "--workers", "-1"}, 2, "", "must be at least 0"},
		// nab run --jobs 10000 was accepted and grew to 1.3 GB.
		{[]string{"echo", "--out", "d", "--workers", "1025"}, 2, "", "--workers \"1025\": must be at most 1024"},
		{[]string{"echo", "--out", "d", "--jobs", "1e4"}, 2, "", "must be at most 1024"},
		{[]string{"echo", "--out"}, 2, "", "flag --out needs a value"},
		{[]string{"echo", "--out", "d", "--mode", "x"}, 2, "", "--mode \"x\": want ok, fail, usage, interrupt or silent"},
		{[]string{"echo", "--out", "d", "--mode", "fail"}, 1, "", "prog echo: model error\n"},
		{[]string{"echo", "--out", "d", "--mode", "usage"}, 2, "", "prog echo: bad combination\nusage:"},
		{[]string{"echo", "--out", "d", "--mode", "interrupt"}, 130, "", "prog echo: stopped: interrupted\n"},
		{[]string{"echo", "--out", "d", "--jobs", "3"}, 0, "\n", "prog echo: --jobs is deprecated; use --workers\n"},
	} {
		out, errOut, code := runProg(p, c.args...)
		if code != c.code || !strings.Contains(out, c.out) || (c.inErr == "") != (errOut == "") || !strings.Contains(errOut, c.inErr) {
			t.Errorf("%q: code %d, stdout %q, stderr %q; want %d, %q, %q", c.args, code, out, errOut, c.code, c.out, c.inErr)
		}
	}
	if _, errOut, code := runProg(p, "echo", "--out", "d", "--mode", "silent"); code != 3 || errOut != "" {
		t.Errorf("silent exit: %d %q", code, errOut)
	}
	if want := "d 200000 0 [a b]"; got[0] != want {
		t.Errorf("parsed %q, want %q", got[0], want)
	}
	if want := "d 1 3 []"; !containsString(got, want) {
		t.Errorf("--jobs 3 did not set --workers: %q", got)
	}
}

func containsString(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// A command whose context was cancelled exits 130 when it returns the
// context's error.
func TestProgramCancelled(t *testing.T) {
	p := &Program{Name: "prog", Commands: []*Command{{Name: "wait", Flags: func(fs *flag.FlagSet) Run {
		return func(ctx context.Context, env *Env) error { <-ctx.Done(); return ctx.Err() }
	}}}}
	p.Context = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	if _, errOut, code := runProg(p, "wait"); code != ExitInterrupted || !strings.Contains(errOut, "context canceled") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
}

func TestVersionOf(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := versionOf(bi), "dendritic v1.2.3 revision abc123 (2026-01-02T03:04:05Z) modified go1.26"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := versionOf(&debug.BuildInfo{GoVersion: "go1.26"}), "dendritic (devel) revision unknown (no VCS stamp: go run, go test and -buildvcs=false leave it out) go1.26"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !strings.HasPrefix(Version(), "dendritic ") {
		t.Errorf("Version() = %q", Version())
	}
}

func TestShardAndSeed(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	sh := ShardFlag(fs, "")
	seed := Seed(fs, "")
	if *seed != DefaultSeed {
		t.Fatalf("default seed %d", *seed)
	}
	if err := fs.Parse([]string{"--shard", "2/4", "--seed", "1e6"}); err != nil || *sh != (Shard{2, 4}) || *seed != 1e6 {
		t.Fatalf("err %v, shard %v, seed %d", err, sh, *seed)
	}
	for _, bad := range []string{"4/4", "a/b", "3", "-1/2", "", "1/0"} {
		if err := sh.Set(bad); err == nil {
			t.Errorf("shard %q accepted", bad)
		}
	}
	if err := fs.Parse([]string{"--seed", "-1"}); err == nil {
		t.Error("negative seed accepted")
	}
}
