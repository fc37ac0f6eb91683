package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/dendritic/dendritic/experiments/taxi"
	"github.com/dendritic/dendritic/internal/cli"
)

func init() {
	register(&cli.Command{
		Name:    "taxi",
		Summary: "NYC taxi 5-step-ahead prediction with HTM (Cui et al. 2016): NRMSE and MAPE",
		Doc: `Runs the HTM model of Cui, Ahmad & Hawkins (2016) online over the NYC taxi passenger
counts (encoders, spatial pooler, temporal memory, SDR classifier), predicting each
count 5 steps (2.5 h) ahead, and reports NRMSE and MAPE from step 10000 on beside
the published numbers.`,
		Flags: taxiFlags,
	})
}

func taxiFlags(fs *flag.FlagSet) cli.Run {
	data := fs.String("data", "", "NYC taxi CSV `file` (default $"+dataEnv+"/nyc_taxi/nyc_taxi.csv, else ../shared/data/nyc_taxi/nyc_taxi.csv)")
	format := cli.Format(fs, "text", "json")
	predictions := fs.String("predictions", "", "also write the per-step predictions to this CSV `file`")
	skip := cli.Int(fs, "skip", taxi.Skip, 0, "first step scored (the protocol's 10000; change it only for other data)")
	return func(ctx context.Context, env *cli.Env) error {
		path, err := defaultData(*data, "nyc_taxi/nyc_taxi.csv", "the NYC taxi data")
		if err != nil {
			return err
		}
		d, err := taxi.Load(path)
		if err != nil {
			return err
		}
		p := taxi.DefaultParams()
		res, err := taxi.Run(d, p, *skip)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		res.Data = path
		if *predictions != "" {
			if err := taxi.WritePredictions(*predictions, d, res.Predictions, p.Steps); err != nil {
				return err
			}
		}
		if *format == "json" {
			return writeJSON(env.Stdout, res, true)
		}
		return res.WriteText(env.Stdout)
	}
}
