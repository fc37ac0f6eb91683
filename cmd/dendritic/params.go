package main

import (
	"errors"
	"flag"

	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/internal/cliutil"
	"github.com/dendritic/dendritic/theory"
)

// paramSet holds the flags of the theory's parameters, indexed by
// theory.Param (nil for a parameter the command does not take).
type paramSet []*cliutil.IntFlag

// paramFlags defines one integer flag for each parameter in ps (every
// parameter if ps is nil), named and described by the theory's table;
// note(p) is put before the meaning ("fn: " for a parameter of one kind).
func paramFlags(fs *flag.FlagSet, ps []theory.Param, note func(theory.Param) string) paramSet {
	table := theory.Params()
	set := make(paramSet, len(table))
	for _, info := range table {
		if ps != nil && !containsParam(ps, info.Param) {
			continue
		}
		usage := note(info.Param) + "`" + info.Var + "` = " + info.Meaning
		set[info.Param] = cli.OptInt(fs, info.Name, usage)
	}
	return set
}

func containsParam(ps []theory.Param, p theory.Param) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// args returns the parameters given on the command line.
func (s paramSet) args() theory.Args {
	var a theory.Args
	for p, f := range s {
		if f != nil && f.IsSet {
			a = a.With(theory.Param(p), f.V)
		}
	}
	return a
}

// argUsage turns a missing or unused parameter (a *theory.ArgError) into
// a usage error that names flags ("fp needs --n, --a, --s, --theta
// (missing: --theta)"). A value out of bounds is a model error (exit 1),
// worded with flag names too; any other error is returned as is.
func argUsage(err error) error {
	var ae *theory.ArgError
	if !errors.As(err, &ae) {
		return err
	}
	msg := ae.Message(func(name string) string { return "--" + name })
	if errors.Is(err, theory.ErrMissing) || errors.Is(err, theory.ErrUnused) {
		return cli.Usagef("%s", msg)
	}
	return errors.New(msg)
}
