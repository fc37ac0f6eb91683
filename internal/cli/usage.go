package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/dendritic/dendritic/internal/cliutil"
)

// usage prints the help of c, defining its flags on a fresh set.
func (c *Command) usage(w io.Writer, path string) {
	var fs *flag.FlagSet
	if c.Flags != nil && len(c.Subcommands) == 0 {
		fs = flag.NewFlagSet(path, flag.ContinueOnError)
		c.Flags(fs)
	}
	c.writeUsage(w, path, fs)
}

// synopsis is the "usage:" line: the path, the required flags, [flags] if
// there are others, and the positional arguments.
func (c *Command) synopsis(path string, fs *flag.FlagSet) string {
	parts := []string{"usage:", path}
	if len(c.Subcommands) > 0 {
		parts = append(parts, "COMMAND [flags]")
		return strings.Join(parts, " ")
	}
	others := false
	if fs != nil {
		fs.VisitAll(func(f *flag.Flag) {
			if !isRequired(c, f.Name) {
				others = true
			}
		})
	}
	for _, name := range c.Required {
		if f := fs.Lookup(name); f != nil {
			parts = append(parts, flagWithValue(f))
		}
	}
	if others {
		parts = append(parts, "[flags]")
	}
	if c.Args != "" {
		parts = append(parts, c.Args)
	}
	return strings.Join(parts, " ")
}

func isRequired(c *Command, name string) bool {
	for _, r := range c.Required {
		if r == name {
			return true
		}
	}
	return false
}

// flagWithValue renders "--name VALUE" (just "--name" for a boolean).
func flagWithValue(f *flag.Flag) string {
	typ, _ := flag.UnquoteUsage(f)
	if isBool(f) {
		return "--" + f.Name
	}
	if typ == "value" || typ == "" {
		typ = placeholder(f.Value)
	}
	return "--" + f.Name + " " + typ
}

// placeholder names the value of a flag whose usage names none.
func placeholder(v flag.Value) string {
	switch v.(type) {
	case intValue, uintValue, *cliutil.IntFlag:
		return "N"
	case floatValue:
		return "X"
	case listValue, intListValue, floatListValue:
		return "LIST"
	case repeatValue:
		return "TEXT"
	}
	return "value"
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// writeUsage prints the synopsis, the documentation, the subcommands or
// the flags, and the command's own further sections.
func (c *Command) writeUsage(w io.Writer, path string, fs *flag.FlagSet) {
	fmt.Fprintln(w, c.synopsis(path, fs))
	if c.Doc != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(c.Doc, "\n"))
	} else if c.Summary != "" {
		fmt.Fprintf(w, "\n%s.\n", strings.TrimSuffix(upperFirst(c.Summary), "."))
	}
	if len(c.Subcommands) > 0 {
		fmt.Fprintln(w, "\nCommands:")
		width := 0
		for _, s := range c.Subcommands {
			width = max(width, len(s.Name))
		}
		for _, s := range c.Subcommands {
			fmt.Fprintf(w, "  %-*s  %s\n", width, s.Name, s.Summary)
		}
		words := strings.Fields(path)
		help := strings.Join(append([]string{words[0], "help"}, words[1:]...), " ")
		fmt.Fprintf(w, "\nRun '%s COMMAND -h' or '%s COMMAND' for the flags of a command.\n", path, help)
		return
	}
	if fs != nil {
		writeFlags(w, fs)
	}
	if c.Help != nil {
		fmt.Fprintln(w)
		c.Help(w)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// writeFlags lists the flags: "--name VALUE" and the usage with the
// default, wrapped onto the next line when the name is long.
func writeFlags(w io.Writer, fs *flag.FlagSet) {
	var rows [][2]string
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		_, use := flag.UnquoteUsage(f)
		if d := f.DefValue; d != "" && d != "0" && d != "false" && !strings.Contains(use, "(default") {
			use += fmt.Sprintf(" (default %s)", d)
		}
		name := flagWithValue(f)
		rows = append(rows, [2]string{name, use})
		if len(name) <= 24 {
			width = max(width, len(name))
		}
	})
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	for _, r := range rows {
		if len(r[0]) > width {
			fmt.Fprintf(w, "  %s\n  %-*s  %s\n", r[0], width, "", r[1])
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], r[1])
	}
}
