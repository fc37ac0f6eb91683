// Package cli is the command framework of the dendritic command: one way to
// define a command, from which its usage text, its -h/--help, 'dendritic
// help CMD', the prefix of its error messages and its exit status follow.
//
// A Command names itself, summarises itself in one line, describes its
// positional arguments and its documentation, and defines its flags on a
// flag.FlagSet; defining the flags returns the function that runs the
// command with their parsed values. The usage text is generated from the
// flag definitions, so it cannot drift from them. The Program parses the
// flags (with the standard flag package: -x and --x are the same, and flags
// may stand before, between or after positional arguments), runs the
// command with a context that SIGINT or SIGTERM cancels, and maps the
// returned error to the exit status:
//
//	0    success
//	1    a model, data or I/O error, or a failed batch row
//	2    a usage error: unknown flag, bad flag value, missing required flag,
//	     unknown command (the error is a *UsageError)
//	130  interrupted by SIGINT or SIGTERM (the error wraps ErrInterrupted,
//	     or the context was cancelled)
//
// Every error is printed once on stderr as "dendritic CMD: message"; a
// usage error is followed by the command's synopsis.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses of a command (see the package documentation).
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitInterrupted = 130 // 128 + SIGINT
)

// Run runs a command once its flags are parsed.
type Run func(ctx context.Context, env *Env) error

// Command is one command (or subcommand) of a program.
type Command struct {
	// Name is the word that selects the command ("calc", or "run" for
	// "nab run").
	Name string
	// Summary is the line shown in the list of commands.
	Summary string
	// Args names the positional arguments in the synopsis ("QUANTITY",
	// "FILE..."). If empty, the command accepts none and the program
	// rejects any with a usage error.
	Args string
	// Doc is the description printed under the synopsis by -h.
	Doc string
	// Required lists the flags that must be given; the program reports a
	// missing one as a usage error and shows them in the synopsis.
	Required []string
	// Flags defines the command's flags on fs and returns the function
	// that runs the command with their values. Nil for a command that only
	// groups Subcommands.
	Flags func(fs *flag.FlagSet) Run
	// Help, if not nil, prints further sections after the flags (such as
	// the quantities of calc).
	Help func(w io.Writer)
	// Subcommands are selected by the next argument ("nab run").
	Subcommands []*Command
	// Locks names the flag (such as "out") whose directory the command
	// writes: the program locks that directory (package dirlock) for the
	// run, so that a second run on it fails at once with a clear error
	// instead of mixing its files with the first run's. An empty flag
	// value locks nothing.
	Locks string
}

// Env is what a running command sees besides its flag values.
type Env struct {
	// Args are the positional arguments, flags removed.
	Args []string
	// Stdout and Stderr are the output streams.
	Stdout, Stderr io.Writer
	// Path is the command's full name, such as "dendritic nab run", the
	// prefix of its messages.
	Path string
	fs   *flag.FlagSet
}

// Given reports whether the flag name was set on the command line (itself
// or through a Deprecated spelling).
func (e *Env) Given(name string) bool {
	given := false
	e.fs.Visit(func(f *flag.Flag) {
		a, isAlias := f.Value.(alias)
		given = given || f.Name == name || isAlias && a.new == name
	})
	return given
}

// Notef prints a note (not an error) on stderr, prefixed like errors.
func (e *Env) Notef(format string, a ...any) {
	fmt.Fprintf(e.Stderr, "%s: %s\n", e.Path, fmt.Sprintf(format, a...))
}

// UsageError is an error in the way a command was called: exit status 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a *UsageError with the formatted message (%w wraps).
func Usagef(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// ErrInterrupted marks an error as an interruption: exit status 130.
var ErrInterrupted = errors.New("interrupted")

// exitError is an exit status whose message has already been printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// Exit returns an error that makes the program exit with code without
// printing anything more (the command has said why).
func Exit(code int) error { return exitError(code) }

// ExitCode maps the error of a command to its exit status, given whether
// the command's context was cancelled.
func ExitCode(err error, cancelled bool) int {
	var ue *UsageError
	var ee exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return int(ee)
	case errors.As(err, &ue):
		return ExitUsage
	case errors.Is(err, ErrInterrupted), cancelled && errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return ExitFailure
}

// SignalContext returns a context cancelled by SIGINT (Ctrl-C) or SIGTERM
// (what Slurm and Kubernetes send before killing a job).
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
