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
	return program.Run(args, stdout, stderr)
}

// exitUsage is the exit status for a usage error (bad flags, unknown command).
const exitUsage = cli.ExitUsage
