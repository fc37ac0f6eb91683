package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// parseFlags parses a subcommand's flags and rejects positional arguments.
// ok is false when the command must stop, with code its exit status: 0
// after -h (the usage has been printed), exitUsage after a bad flag or a
// stray argument (the message has been printed).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer, name string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		return usageError(stderr, name, "unexpected argument %q", fs.Arg(0)), false
	}
	return 0, true
}

// usageError prints "name: message" on stderr and returns exitUsage.
func usageError(stderr io.Writer, name, format string, a ...any) int {
	fmt.Fprintf(stderr, name+": "+format+"\n", a...)
	return exitUsage
}

// parseInterleaved parses flags that may stand before, between or after
// positional arguments (`calc fp --n 5` as well as `calc --n 5 fp`): it
// parses, takes one positional argument, and parses the rest; everything
// after "--" is positional. It returns flag.ErrHelp for -h.
func parseInterleaved(fs *flag.FlagSet, args []string) (positional []string, err error) {
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			return positional, nil
		}
		if consumed := len(rest) - len(left); consumed > 0 && rest[consumed-1] == "--" {
			return append(positional, left...), nil
		}
		positional = append(positional, left[0])
		rest = left[1:]
	}
}
