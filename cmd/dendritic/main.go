// Command dendritic computes, simulates and reports the theory of sparse
// distributed representations and active dendrites (Ahmad & Hawkins 2016).
//
// It is a thin layer: each subcommand parses its flags, calls the library
// and prints. Subcommands register themselves from their own files, so
// main.go never needs to change when one is added.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// exitUsage is the exit status for a usage error (bad flags, unknown command).
const exitUsage = 2

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string
	// run executes the command with its arguments (without the command
	// name). It returns the process exit status.
	run func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

// register adds a subcommand; called from init functions.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("dendritic: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "dendritic: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: dendritic COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'dendritic COMMAND -h' for the flags of a command.")
}
