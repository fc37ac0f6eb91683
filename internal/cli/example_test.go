package cli_test

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/dendritic/dendritic/internal/cli"
)

// A command defines its flags and returns its run function; the program
// derives the usage, -h, 'help CMD', the error prefix and the exit status.
func Example() {
	greet := &cli.Command{
		Name:     "greet",
		Summary:  "greet someone",
		Args:     "NAME...",
		Required: []string{"times"},
		Flags: func(fs *flag.FlagSet) cli.Run {
			times := cli.Int(fs, "times", 1, 1, "greet `N` times")
			return func(ctx context.Context, env *cli.Env) error {
				if len(env.Args) == 0 {
					return cli.Usagef("no name given")
				}
				for range *times {
					fmt.Fprintln(env.Stdout, "hello", env.Args[0])
				}
				return nil
			}
		},
	}
	p := &cli.Program{Name: "prog", Commands: []*cli.Command{greet}}
	fmt.Println("exit", p.Run([]string{"greet", "world", "--times", "2"}, os.Stdout, os.Stdout))
	fmt.Println("exit", p.Run([]string{"greet", "-h"}, os.Stdout, os.Stdout))
	fmt.Println("exit", p.Run([]string{"greet", "--times", "1e0"}, os.Stdout, os.Stdout))
	// Output:
	// hello world
	// hello world
	// exit 0
	// usage: prog greet --times N NAME...
	//
	// Greet someone.
	//
	// Flags:
	//   --times N  greet N times (default 1)
	// exit 0
	// prog greet: no name given
	// usage: prog greet --times N NAME...
	// Run 'prog greet -h' for the flags.
	// exit 2
}
