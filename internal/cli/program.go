package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dendritic/dendritic/internal/dirlock"
)

// Program is a command-line program made of commands.
type Program struct {
	// Name is the program's name ("dendritic").
	Name string
	// Doc is the line under the program's synopsis.
	Doc string
	// Commands are the program's commands, in any order (listed sorted).
	Commands []*Command
	// Context returns the context of a run; nil means SignalContext.
	// Tests replace it.
	Context func() (context.Context, context.CancelFunc)
	// Version returns the text of --version; nil means Version.
	Version func() string
}

// Run runs the program with the arguments (without the program name) and
// returns its exit status.
func (p *Program) Run(args []string, stdout, stderr io.Writer) int {
	root := &Command{Name: p.Name, Doc: p.Doc, Subcommands: p.sorted()}
	if len(args) > 0 {
		switch args[0] {
		case "--version", "-version", "version":
			v := p.Version
			if v == nil {
				v = Version
			}
			fmt.Fprintln(stdout, v())
			return ExitOK
		case "help":
			return p.help(root, args[1:], stdout, stderr)
		}
	}
	return p.run(root, p.Name, args, stdout, stderr)
}

// sorted returns the commands sorted by name.
func (p *Program) sorted() []*Command {
	cs := slices.Clone(p.Commands)
	slices.SortFunc(cs, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
	return cs
}

// help prints the usage of the command named by args ("help nab run").
func (p *Program) help(c *Command, args []string, stdout, stderr io.Writer) int {
	path := p.Name
	for i, name := range args {
		sub := c.sub(name)
		if sub == nil {
			fmt.Fprintf(stderr, "%s help: unknown command %q\n", p.Name, strings.Join(args[:i+1], " "))
			return ExitUsage
		}
		c, path = sub, path+" "+name
	}
	c.usage(stdout, path)
	return ExitOK
}

func (c *Command) sub(name string) *Command {
	for _, s := range c.Subcommands {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// run dispatches args to c or to one of its subcommands.
func (p *Program) run(c *Command, path string, args []string, stdout, stderr io.Writer) int {
	if len(c.Subcommands) > 0 {
		if len(args) == 0 {
			fmt.Fprintf(stderr, "%s: no command given\n\n", path)
			c.usage(stderr, path)
			return ExitUsage
		}
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			c.usage(stdout, path)
			return ExitOK
		}
		sub := c.sub(args[0])
		if sub == nil {
			fmt.Fprintf(stderr, "%s: unknown command %q\n\n", path, args[0])
			c.usage(stderr, path)
			return ExitUsage
		}
		return p.run(sub, path+" "+sub.Name, args[1:], stdout, stderr)
	}
	if c.Flags == nil {
		fmt.Fprintf(stderr, "%s: the command defines nothing to run\n", path)
		return ExitFailure
	}
	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the program prints the errors
	runFn := c.Flags(fs)
	fs.Usage = func() {}
	positional, err := ParseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.writeUsage(stdout, path, fs)
		return ExitOK
	}
	if err != nil {
		err = flagError(err)
	} else {
		err = c.check(fs, positional)
	}
	env := &Env{Args: positional, Stdout: stdout, Stderr: stderr, Path: path, fs: fs}
	if err == nil {
		announceAliases(env)
		lock, lerr := c.lock(env, fs)
		if lerr != nil {
			return report(env, lerr, false, c, fs)
		}
		defer func() {
			if err := lock.Release(); err != nil {
				env.Notef("%v", err)
			}
		}()
		newCtx := p.Context
		if newCtx == nil {
			newCtx = SignalContext
		}
		ctx, stop := newCtx()
		err = runFn(ctx, env)
		cancelled := ctx.Err() != nil
		stop()
		return report(env, err, cancelled, c, fs)
	}
	return report(env, &UsageError{Err: err}, false, c, fs)
}

// lock takes the lock of the directory named by the flag c.Locks (nil if
// the command locks nothing or the flag is empty).
func (c *Command) lock(env *Env, fs *flag.FlagSet) (*dirlock.Lock, error) {
	if c.Locks == "" {
		return nil, nil
	}
	f := fs.Lookup(c.Locks)
	if f == nil {
		return nil, fmt.Errorf("the command locks --%s, which it does not define", c.Locks)
	}
	dir := f.Value.String()
	if dir == "" {
		return nil, nil
	}
	return dirlock.Acquire(dir, func(s string) { env.Notef("%s", s) })
}

// check applies the rules every command shares: required flags, and no
// positional arguments unless the command names some.
func (c *Command) check(fs *flag.FlagSet, positional []string) error {
	var missing []string
	e := &Env{fs: fs}
	for _, name := range c.Required {
		if !e.Given(name) {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if c.Args == "" && len(positional) > 0 {
		return fmt.Errorf("unexpected argument %q", positional[0])
	}
	return nil
}

// report prints err and returns the exit status.
func report(env *Env, err error, cancelled bool, c *Command, fs *flag.FlagSet) int {
	code := ExitCode(err, cancelled)
	var ee exitError
	if err == nil || errors.As(err, &ee) {
		return code
	}
	fmt.Fprintf(env.Stderr, "%s: %v\n", env.Path, err)
	if code == ExitUsage {
		fmt.Fprintf(env.Stderr, "%s\nRun '%s -h' for the flags.\n", c.synopsis(env.Path, fs), env.Path)
	}
	return code
}

// flagError rewrites the flag package's messages with the --name spelling
// the documentation uses: "invalid value "x" for flag -n: reason" becomes
// "--n "x": reason", "flag provided but not defined: -x" "unknown flag --x".
func flagError(err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("unknown flag --%s", rest)
	}
	if rest, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Errorf("flag --%s needs a value", rest)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if val, tail, ok := strings.Cut(rest, " for flag -"); ok {
			if name, reason, ok := strings.Cut(tail, ": "); ok {
				return fmt.Errorf("--%s %s: %s", name, val, reason)
			}
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean flag "); ok {
		return fmt.Errorf("--%s", rest)
	}
	return err
}

// ParseInterleaved parses flags that may stand before, between or after
// positional arguments (`calc fp --n 5` as well as `calc --n 5 fp`): it
// parses, takes one positional argument, and parses the rest; everything
// after "--" is positional. It returns flag.ErrHelp for -h.
func ParseInterleaved(fs *flag.FlagSet, args []string) (positional []string, err error) {
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
