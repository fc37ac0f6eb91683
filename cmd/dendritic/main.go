// Command dendritic computes, simulates and reports the theory of sparse
// distributed representations and active dendrites (Ahmad & Hawkins 2016).
//
// It is a thin layer: each command defines its flags with package
// internal/cli, calls the library and prints. Commands register themselves
// from their own files, so main.go never needs to change when one is added.
package main

import (
	"io"
	"os"

	"github.com/dendritic/dendritic/internal/cli"
)

// program is the dendritic command; commands join it with register.
var program = &cli.Program{
	Name: "dendritic",
	Doc: "Computes, simulates and reports the theory of sparse distributed representations\n" +
		"and active dendrites (Ahmad & Hawkins 2016), HTM sequence memory and NAB.\n" +
		"Exit status: 0 success, 1 a model, data or I/O error, 2 a usage error, 130 interrupted.",
}

// register adds a command; called from init functions.
func register(c *cli.Command) {
	for _, o := range program.Commands {
		if o.Name == c.Name {
			panic("dendritic: command registered twice: " + c.Name)
		}
	}
	program.Commands = append(program.Commands, c)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the program with args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if c, ok := legacy[args[0]]; ok {
			return c.run(args[1:], stdout, stderr)
		}
	}
	return program.Run(args, stdout, stderr)
}

// exitUsage is the exit status for a usage error (bad flags, unknown command).
const exitUsage = cli.ExitUsage

// command is a command not yet converted to internal/cli (transitional).
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var legacy = map[string]command{}

// registerLegacy adds a command that parses its own arguments; it is listed
// among the others. Transitional: every command moves to internal/cli.
func registerLegacy(c command) {
	legacy[c.name] = c
	register(&cli.Command{Name: c.name, Summary: c.summary})
}
