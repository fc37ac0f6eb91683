package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/dendritic/dendritic/internal/cli"
	"github.com/dendritic/dendritic/serve"
)

func init() {
	register(&cli.Command{
		Name:    "serve",
		Summary: "streaming anomaly detection over HTTP: many models, kept in SQLite, nothing acknowledged lost on a crash",
		Doc: `Serves the JSON API of package serve under /v1 (models of the NAB detectors htm, htm-raw,
numenta, numenta-raw, contextOSE, numenta-gmean-cad, numenta-gmean2-cad-peaks,
numenta-gmean-cad-peaks-cal; append rows, read back scores), /healthz and /metrics. Every
acknowledged row is in the SQLite database (WAL, synchronous FULL) before its response;
models are checkpointed every --checkpoint-rows rows or --checkpoint-every, and restored
from the last checkpoint plus the rows after it (--retain-rows N: each checkpoint deletes
the rows more than N before it). Listens on loopback unless --addr says otherwise, which
needs --token. SIGTERM or SIGINT: stop accepting, finish queued rows, checkpoint, exit 0.`,
		Flags: serveFlags,
	})
}

func serveFlags(fs *flag.FlagSet) cli.Run {
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` (host:port; a non-loopback host needs --token)")
	db := fs.String("db", "dendritic.db", "SQLite database `file` (created if missing)")
	token := fs.String("token", "", "require \"Authorization: Bearer `TOKEN`\" of every request")
	queue := cli.Int(fs, "queue", 64, 1, "append requests queued per model before 429 (`N`)")
	ckRows := cli.Int(fs, "checkpoint-rows", 5000, 1, "checkpoint a model after `N` rows")
	ckEvery := fs.Duration("checkpoint-every", time.Minute, "checkpoint a model with new rows after this `duration`")
	maxRows := cli.Int(fs, "max-rows", 10000, 1, "most rows of one append request (`N`)")
	maxBody := cli.Int(fs, "max-body", 8<<20, 1, "largest request body in `bytes`")
	retain := cli.Int(fs, "retain-rows", 0, 0, "keep only the last `N` rows of a model before its checkpoint (0: keep every row)")
	return func(ctx context.Context, env *cli.Env) error {
		if err := serve.CheckAddr(*addr, *token); err != nil {
			return cli.Usagef("%v", err)
		}
		if *ckEvery <= 0 {
			return cli.Usagef("--checkpoint-every %v must be positive", *ckEvery)
		}
		t0 := time.Now()
		s, err := serve.Open(ctx, serve.Options{DB: *db, Token: *token, QueueLen: *queue, CheckpointRows: *ckRows,
			CheckpointEvery: *ckEvery, MaxRows: *maxRows, MaxBody: int64(*maxBody), RetainRows: *retain, Logf: env.Notef})
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return errors.Join(err, s.Close())
		}
		env.Notef("loaded %s in %.3f s; listening on %s", *db, time.Since(t0).Seconds(), ln.Addr())
		hs := serve.NewHTTPServer(*addr, s.Handler())
		errc := make(chan error, 1)
		go func() { errc <- hs.Serve(ln) }()
		select {
		case err = <-errc:
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			err = hs.Shutdown(sctx)
			cancel()
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		if cerr := s.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("closing: %w", cerr))
		}
		if err == nil {
			env.Notef("stopped: every queued row applied, models checkpointed")
		}
		return err
	}
}
