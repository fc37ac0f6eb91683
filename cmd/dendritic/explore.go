package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/dendritic/dendritic/explore"
	"github.com/dendritic/dendritic/internal/cli"
)

func init() {
	register(&cli.Command{
		Name:    "explore",
		Summary: "serve the theory as a live page: sliders, every curve, a simulation check, a JSON API",
		Doc: `Starts a local web server and prints its URL: one page (embedded in the binary,
nothing fetched from the network) with a control for every parameter, the curves
of E2–E5 and E7, the designer's Pareto frontier and a Monte Carlo check of the
current point; and the JSON API the page uses (/api/params, /api/value,
/api/curve, /api/design, /api/thresholds, /api/sim; see the README). The server
listens on loopback unless --addr names another address (a warning is printed).
Ctrl-C stops it (exit 130).`,
		Flags: exploreFlags,
	})
}

func exploreFlags(fs *flag.FlagSet) cli.Run {
	addr := fs.String("addr", "127.0.0.1:0", "listen on `HOST:PORT` (port 0: any free port)")
	open := fs.Bool("open", false, "open the page in a browser, where one exists")
	return func(ctx context.Context, env *cli.Env) error {
		ln, warning, err := explore.Listen(*addr)
		if errors.Is(err, explore.ErrAddress) {
			return cli.Usagef("--addr: %v", err)
		}
		if err != nil {
			return err
		}
		if warning != "" {
			env.Notef("warning: %s", warning)
		}
		url := explore.URL(ln)
		fmt.Fprintln(env.Stdout, url)
		if *open {
			if err := explore.OpenBrowser(url); err != nil {
				env.Notef("cannot open a browser (%v); open %s yourself", err, url)
			}
		}
		return explore.Serve(ctx, ln, explore.New(explore.Options{Hosts: explore.LoopbackHosts(ln)}))
	}
}
