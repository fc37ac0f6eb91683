package theory

import "context"

// stopper carries a context into the long loops of one evaluation (the
// exact-mode sums and the union chains). Loops report their work to
// stop, which polls ctx.Err() once per stopEvery units, so that a
// cancelled evaluation ends within milliseconds without slowing the
// loops down. A nil *stopper never stops: the exported functions pass
// nil and keep their speed. One stopper serves one goroutine.
type stopper struct {
	ctx  context.Context
	work int
	err  error // sticky: once set, every later check stops at once
}

// stopEvery is the work between two polls of the context: a unit is one
// term of a sum (a few big-number operations) or one chain transition.
const stopEvery = 1024

// newStopper returns a stopper for ctx, or nil if ctx can never be done.
func newStopper(ctx context.Context) *stopper {
	if ctx.Done() == nil {
		return nil
	}
	return &stopper{ctx: ctx}
}

// stop adds work units and reports whether the evaluation must end.
func (s *stopper) stop(work int) bool {
	if s == nil {
		return false
	}
	if s.err != nil {
		return true
	}
	s.work += work
	if s.work < stopEvery {
		return false
	}
	s.work = 0
	s.err = s.ctx.Err()
	return s.err != nil
}

// failed returns the context's error once the evaluation has stopped.
func (s *stopper) failed() error {
	if s == nil {
		return nil
	}
	return s.err
}
